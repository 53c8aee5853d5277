// The page's wiring: signed out it shows the sign-in; signed in, "Your security". Journey 8,
// sign-out, revokes the token at the service (DELETE /v2.0/tokens) before forgetting it, so a
// copied token is worthless too. A token the service no longer accepts also ends the session.

import { call, faultOf } from "./api.js";
import { $, show, notice, problem, busy, session } from "./view.js";
import * as signin from "./signin.js";
import * as security from "./security.js";
import * as bypass from "./bypass.js";

function signedOut(message) {
  session.clear();
  bypass.hide();
  show("security", false);
  show("sign-out", false);
  show("who", false);
  signin.restart(message);
}

async function signedIn(value) {
  session.set(value);
  show("sign-in", false);
  show("security");
  show("sign-out");
  show("who");
  try {
    await security.load(value);
  } catch (fault) {
    // A revoked or expired token: nothing left to revoke, sign in again.
    if (fault.status === 401) return signedOut("Your session has ended. Sign in again.");
    // Anything else: said, and the session kept (Sign out still revokes it).
    return problem(fault);
  }
  notice(`Signed in as ${value.username}.`);
  $("security-title").focus();
}

// Revokes the token at the service, then forgets it. A token the service refuses already (401)
// is as good as revoked; any other answer is said, and the page stays signed in to try again.
async function revokeAndForget() {
  const current = session.get();
  if (current) {
    const answer = await call("DELETE", "/v2.0/tokens", { token: current.token });
    if (![204, 401].includes(answer.status)) throw faultOf(answer);
  }
  signedOut();
}

signin.start(signedIn);
security.start(revokeAndForget);
bypass.start(() => session.get());
$("sign-out").addEventListener("click", () => busy($("sign-out"), async () => {
  await revokeAndForget();
  notice("You are signed out.");
}));
$("security-title").tabIndex = -1;

const saved = session.get();
if (saved) signedIn(saved);
else signin.restart();
