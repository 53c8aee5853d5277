// Journey 4: an authenticator app. Adding one shows the service's QR code as an image and the
// secret as text (for typing in by hand) — the only time either is shown — then the app's first
// code verifies it. Or delete one.

import { expect, mfaPath } from "./api.js";
import { deleteDevice } from "./devices.js";
import { $, show, notice, item, busy, clearMessages } from "./view.js";

let context = null;
let pending = null; // the device being verified: {id, name}

const devices = () => `${mfaPath(context.session.userId)}/otp-devices`;
const token = () => context.session.token;

export function render(list, newContext) {
  context = newContext;
  const ul = $("otp-devices");
  ul.replaceChildren(...list.map((d) => item(
    `${d.name} — ${d.verified ? "verified" : "not verified"}`,
    [["Delete", `Delete authenticator app ${d.name}`, (event) =>
        deleteDevice(event.target, context, `${devices()}/${encodeURIComponent(d.id)}`, `Authenticator app ${d.name}`)]],
  )));
  if (list.length === 0) ul.append(item("No authenticator app yet."));
  if (pending && !list.some((d) => d.id === pending.id && !d.verified)) forget();
}

function forget() {
  pending = null;
  $("otp-verify").reset();
  $("otp-qr").removeAttribute("src");
  $("otp-secret").textContent = "";
  show("otp-verify", false);
}

export function start() {
  $("otp-form").addEventListener("submit", (event) => {
    event.preventDefault();
    busy(event.submitter, async () => {
      clearMessages();
      const answer = await expect(201, "POST", devices(), {
        body: { "RAX-AUTH:otpDevice": { name: $("device-name").value.trim() } },
        token: token(),
      });
      $("otp-form").reset();
      const device = answer.body["RAX-AUTH:otpDevice"];
      await context.reload();
      pending = { id: device.id, name: device.name };
      $("otp-qr").src = device.qrcode;
      $("otp-secret").textContent = new URL(device.keyUri).searchParams.get("secret") ?? "";
      show("otp-verify");
      notice(`Add ${device.name} to your authenticator app, then enter the code it shows.`);
      $("otp-code").focus();
    });
  });
  $("otp-verify").addEventListener("submit", (event) => {
    event.preventDefault();
    busy(event.submitter, async () => {
      const name = pending.name;
      await expect(204, "POST", `${devices()}/${encodeURIComponent(pending.id)}/verify`, {
        body: { "RAX-AUTH:verificationCode": { code: $("otp-code").value.trim() } },
        token: token(),
      });
      forget();
      await context.reload();
      notice(`Authenticator app ${name} verified.`);
    });
  });
}
