// Journey 1: sign in. The password step either gives a token or the 401 challenge
// (`WWW-Authenticate: OS-MF sessionId='…', factor='…'`); the second step takes a passcode (the
// texted one, the authenticator app's, or a bypass code) or, for a security-key user, the
// browser's WebAuthn ceremony on the options that came with the challenge.

import { call, faultOf } from "./api.js";
import { $, show, notice, problem, busy, clearMessages } from "./view.js";
import * as webauthn from "./webauthn.js";

const HINTS = {
  PASSCODE: "We sent a passcode to your phone by text message. Enter it, or a bypass code.",
  OTPPASSCODE: "Enter the code your authenticator app shows, or a bypass code.",
  WEBAUTHN: "Use your security key or passkey, or enter a bypass code.",
};

let challenge = null; // {sessionId, factor, publicKey}
let signedIn = () => {};

function parseChallenge(answer) {
  const header = answer.headers.get("WWW-Authenticate") ?? "";
  const sessionId = /sessionId='([^']+)'/.exec(header);
  const factor = /factor='([^']+)'/.exec(header);
  if (!sessionId || !factor) return null;
  const options = answer.body && answer.body["RAX-AUTH:webAuthnOptions"];
  return { sessionId: sessionId[1], factor: factor[1], publicKey: options && options.publicKey };
}

function finish(answer) {
  const access = answer.body.access;
  challenge = null;
  $("password-form").reset();
  $("second-step").reset();
  show("second-step", false);
  show("password-form");
  signedIn({ token: access.token.id, userId: access.user.id, username: access.user.name });
}

function askSecondStep(found) {
  challenge = found;
  show("password-form", false);
  show("second-step");
  $("second-step-hint").textContent = HINTS[found.factor] ?? HINTS.OTPPASSCODE;
  show("use-key", found.factor === "WEBAUTHN");
  notice("One more step.");
  (found.factor === "WEBAUTHN" ? $("use-key") : $("passcode")).focus();
}

export function restart(message) {
  challenge = null;
  $("second-step").reset();
  show("second-step", false);
  show("password-form");
  show("sign-in");
  if (message) problem(message);
  $("username").focus();
}

async function secondStep(auth) {
  const answer = await call("POST", "/v2.0/tokens", { body: { auth }, sessionId: challenge.sessionId });
  if (answer.status === 200) return finish(answer);
  const fault = faultOf(answer);
  // An expired or unknown session cannot take another try; a lock ends this sign-in too.
  if (answer.status === 401 && /expired|X-SessionId/i.test(fault.message)) return restart(fault);
  if (answer.status === 403) return restart(fault);
  $("passcode").value = "";
  problem(fault);
}

export function start(onSignedIn) {
  signedIn = onSignedIn;
  $("password-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const button = event.submitter ?? $("password-form").querySelector("button");
    busy(button, async () => {
      clearMessages();
      const answer = await call("POST", "/v2.0/tokens", {
        body: { auth: { passwordCredentials: { username: $("username").value.trim(), password: $("password").value } } },
      });
      $("password").value = "";
      if (answer.status === 200) return finish(answer);
      const found = answer.status === 401 ? parseChallenge(answer) : null;
      if (found) return askSecondStep(found);
      problem(faultOf(answer));
    });
  });
  $("second-step").addEventListener("submit", (event) => {
    event.preventDefault();
    const passcode = $("passcode").value.trim();
    if (!passcode) return problem("Enter the passcode.");
    busy(event.submitter ?? $("second-step").querySelector("button"), () =>
      secondStep({ "RAX-AUTH:passcodeCredentials": { passcode } }));
  });
  $("use-key").addEventListener("click", () => {
    busy($("use-key"), async () => {
      clearMessages();
      let assertion;
      try {
        assertion = await webauthn.get(challenge.publicKey);
      } catch (error) {
        return problem(webauthn.ceremonyWords(error));
      }
      await secondStep({ "RAX-AUTH:webAuthnCredentials": assertion });
    });
  });
}
