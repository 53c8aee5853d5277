// Journeys 2 and 6: "Your security" — the user's MFA state, level and devices as the service
// has them now — and turning two-step verification on with a chosen factor, switching the
// factor, turning it off. Turning it on ends the page's session (the service itself revokes
// every token that lacks a second factor): the page then asks to sign in again.

import { expect, userPath, mfaPath } from "./api.js";
import { $, show, notice, busy } from "./view.js";
import * as phone from "./phone.js";
import * as authenticator from "./authenticator.js";
import * as securityKey from "./securitykey.js";

const FACTOR_WORDS = { SMS: "text message", OTP: "authenticator app", WEBAUTHN: "security key" };
const LEVEL_WORDS = {
  REQUIRED: "Your account requires two-step verification.",
  OPTIONAL: "Two-step verification is optional for your account.",
  DEFAULT: "",
};

let current = null; // {session, user, devices}
let endSession = async () => {};

export async function load(session) {
  const [user, devices] = await Promise.all([
    expect(200, "GET", userPath(session.userId), { token: session.token }),
    expect(200, "GET", `${mfaPath(session.userId)}/devices`, { token: session.token }),
  ]);
  current = { session, user: user.body.user, devices: devices.body["RAX-AUTH:multiFactorDevices"] };
  render();
}

export const reload = () => load(current.session);

function render() {
  const { user, devices, session } = current;
  const on = user["RAX-AUTH:multiFactorEnabled"] === true;
  const factor = user["RAX-AUTH:factorType"];
  const state = on
    ? `Two-step verification is on: after your password, you confirm with your ${FACTOR_WORDS[factor] ?? factor}.`
    : "Two-step verification is off: your password alone signs you in.";
  const locked = user["RAX-AUTH:multiFactorState"] === "LOCKED" ? " It is locked after too many wrong codes." : "";
  $("mfa-state").textContent = [state + locked, LEVEL_WORDS[user["RAX-AUTH:userMultiFactorEnforcementLevel"]] ?? ""]
    .filter(Boolean).join(" ");
  for (const radio of document.querySelectorAll("input[name=factor]")) {
    radio.checked = on ? radio.value === factor : false;
  }
  $("mfa-on").textContent = on ? "Use this method" : "Turn on two-step verification";
  show("mfa-off", on);
  $("who").textContent = `Signed in as ${session.username}`;
  const context = { session, reload };
  phone.render(devices.mobilePhones ?? [], context);
  authenticator.render(devices.otpDevices ?? [], context);
  securityKey.render(devices.webAuthnDevices ?? [], context);
}

function chosenFactor() {
  const chosen = document.querySelector("input[name=factor]:checked");
  return chosen ? chosen.value : null;
}

async function setMfa(settings) {
  await expect(204, "PUT", mfaPath(current.session.userId), {
    body: { "RAX-AUTH:multiFactor": settings },
    token: current.session.token,
  });
}

// `revokeAndForget`: revokes the session's token at the service and signs the page out.
export function start(revokeAndForget) {
  endSession = revokeAndForget;
  $("mfa-on").addEventListener("click", () => busy($("mfa-on"), async () => {
    const factor = chosenFactor();
    if (!factor) return notice("Choose how you will confirm: text message, authenticator app or security key.");
    const wasOn = current.user["RAX-AUTH:multiFactorEnabled"] === true;
    await setMfa({ enabled: true, factorType: factor });
    if (wasOn) {
      await reload();
      return notice(`You now confirm with your ${FACTOR_WORDS[factor]}.`);
    }
    // The service has just revoked a password-only token; one with a second factor stays
    // valid, and is revoked here: either way the next sign-in uses the new second step.
    await endSession();
    notice(`Two-step verification is on. Sign in again, with your ${FACTOR_WORDS[factor]}.`);
  }));
  $("mfa-off").addEventListener("click", () => busy($("mfa-off"), async () => {
    await setMfa({ enabled: false });
    await reload();
    notice("Two-step verification is off.");
  }));
  phone.start();
  authenticator.start();
  securityKey.start();
}
