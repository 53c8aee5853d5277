// Journey 3: a phone for text messages. Add it (a new number replaces the old one while two-step
// verification is off), send the code, enter it: verified. Or delete it.

import { expect, mfaPath } from "./api.js";
import { deleteDevice } from "./devices.js";
import { $, show, notice, item, busy, clearMessages } from "./view.js";

let context = null;
let pending = null; // the phone being verified: {id, number}

const phones = () => `${mfaPath(context.session.userId)}/mobile-phones`;
const token = () => context.session.token;

export function render(list, newContext) {
  context = newContext;
  const ul = $("phones");
  ul.replaceChildren(...list.map((p) => item(
    `${p.number} — ${p.verified ? "verified" : "not verified yet"}`,
    [
      ...(p.verified ? [] : [["Finish verifying", `Finish verifying ${p.number}`, () => askCode(p)]]),
      ["Delete", `Delete phone ${p.number}`, (event) =>
        deleteDevice(event.target, context, `${phones()}/${encodeURIComponent(p.id)}`, `Phone ${p.number}`)],
    ],
  )));
  if (list.length === 0) ul.append(item("No phone yet."));
  if (pending && !list.some((p) => p.id === pending.id && !p.verified)) {
    pending = null;
    show("phone-verify", false);
  }
}

function askCode(p) {
  pending = p;
  show("phone-verify");
  $("phone-verify-hint").textContent = `Send a code to ${p.number}, then enter it.`;
  $("send-code").focus();
}

export function start() {
  $("phone-form").addEventListener("submit", (event) => {
    event.preventDefault();
    busy(event.submitter, async () => {
      clearMessages();
      const answer = await expect(201, "POST", phones(), {
        body: { "RAX-AUTH:mobilePhone": { number: $("phone-number").value.trim() } },
        token: token(),
      });
      $("phone-form").reset();
      const added = answer.body["RAX-AUTH:mobilePhone"];
      await context.reload();
      askCode(added);
      notice(`Phone ${added.number} added. Send it a code to verify it.`);
    });
  });
  $("send-code").addEventListener("click", () => busy($("send-code"), async () => {
    await expect(202, "POST", `${phones()}/${encodeURIComponent(pending.id)}/verificationcode`, { token: token() });
    notice(`Code sent to ${pending.number}.`);
    $("phone-code").focus();
  }));
  $("phone-verify").addEventListener("submit", (event) => {
    event.preventDefault();
    busy(event.submitter, async () => {
      const number = pending.number;
      await expect(204, "POST", `${phones()}/${encodeURIComponent(pending.id)}/verify`, {
        body: { "RAX-AUTH:verificationCode": { code: $("phone-code").value.trim() } },
        token: token(),
      });
      $("phone-verify").reset();
      pending = null;
      show("phone-verify", false);
      await context.reload();
      notice(`Phone ${number} verified.`);
    });
  });
}
