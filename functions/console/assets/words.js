// Faults in plain words. The service's messages are the originals' (for programs); a person
// gets what happened and what to do, with the wait where the service gives one.

const PLAIN = [
  [/locked due to excessive invalid attempts/i,
    "Your account is locked after too many wrong codes."],
  [/session.*expired|expired.*session|Invalid X-SessionId/i,
    "Your sign-in took too long. Sign in again."],
  [/Can not authenticate with credentials provided|Unable to authenticate/i,
    "That did not work. Check what you typed and try again."],
  [/must setup multi-factor/i,
    "Your organisation requires two-step verification. Ask an administrator to help you set it up."],
  [/can not delete your mobile phone/i,
    "This phone is your second step. Choose another method or turn two-step verification off first."],
  [/can not delete the last verified/i,
    "This is the last device of your second step. Choose another method or turn two-step verification off first."],
  [/Cannot replace device with multifactor enabled/i,
    "Turn two-step verification off before replacing the phone it uses."],
  [/doesn't have a verified (phone|OTP device|WebAuthn device)/i,
    "Add and verify a device of that kind first."],
  [/phone number is invalid/i,
    "That phone number does not look right. Include the country code, for example +1 210 555 0100."],
  [/WAN-002/, "The security key's answer was not accepted. Try again."],
  [/Too many (passcodes|verification codes|text messages)/i, "Too many codes were sent."],
  [/WAN-001|maximum number/i, "You have reached the limit of devices. Delete one first."],
];

export function inWords(fault) {
  if (fault.status === 0) {
    return "The service cannot be reached. Check your connection and try again.";
  }
  const known = PLAIN.find(([pattern]) => pattern.test(fault.message));
  let text = known ? known[1] : (fault.message || `The request failed (${fault.status}).`);
  if (fault.status === 429 && !known) text = "Too many attempts.";
  if (fault.status >= 500) text = "Something went wrong on our side. Nothing was changed; try again.";
  if (fault.retryAfter !== null) text += ` Try again in ${wait(fault.retryAfter)}.`;
  else if (/locked/i.test(text)) text += " An administrator can unlock it.";
  return text;
}

function wait(seconds) {
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}
