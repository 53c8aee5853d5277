// Journey 5: a security key or passkey. Begin the registration (the service's creation
// options), let the browser make the credential, finish it: verified. A ceremony that is
// cancelled or refused deletes the unfinished device, so nothing half-made is left behind.

import { call, expect, faultOf, mfaPath } from "./api.js";
import { deleteDevice } from "./devices.js";
import { $, notice, problem, item, busy, clearMessages } from "./view.js";
import * as webauthn from "./webauthn.js";

let context = null;

const keys = () => `${mfaPath(context.session.userId)}/webauthn-devices`;
const token = () => context.session.token;

export function render(list, newContext) {
  context = newContext;
  const ul = $("keys");
  ul.replaceChildren(...list.map((k) => item(
    `${k.name} — ${k.verified ? "verified" : "not finished"}`,
    [["Delete", `Delete security key ${k.name}`, (event) =>
        deleteDevice(event.target, context, `${keys()}/${encodeURIComponent(k.id)}`, `Security key ${k.name}`)]],
  )));
  if (list.length === 0) ul.append(item("No security key yet."));
}

async function register(name) {
  const begun = await expect(201, "POST", keys(), {
    body: { "RAX-AUTH:webAuthnDevice": { name } },
    token: token(),
  });
  const device = begun.body["RAX-AUTH:webAuthnDevice"];
  const path = `${keys()}/${encodeURIComponent(device.id)}`;
  let finished = false;
  try {
    let credential;
    try {
      credential = await webauthn.create(device.publicKey);
    } catch (error) {
      throw webauthn.ceremonyWords(error);
    }
    const answer = await call("POST", `${path}/verify`, {
      body: { "RAX-AUTH:webAuthnCredential": credential },
      token: token(),
    });
    if (answer.status !== 204) throw faultOf(answer);
    finished = true;
    return device;
  } finally {
    // Cancelled, refused or unreachable: the unfinished device goes (best effort).
    if (!finished) await call("DELETE", path, { token: token() }).catch(() => {});
  }
}

export function start() {
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    busy(event.submitter, async () => {
      clearMessages();
      if (!webauthn.supported()) return problem("This browser cannot use security keys or passkeys.");
      const device = await register($("key-name").value.trim());
      $("key-form").reset();
      await context.reload();
      notice(`Security key ${device.name} added and verified.`);
    });
  });
}
