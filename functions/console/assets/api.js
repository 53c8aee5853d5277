// The public API on this page's own origin, as JSON. A fault answer becomes an ApiFault that
// carries the service's own message and its wait (Retry-After), for words.js to put plainly.

export class ApiFault extends Error {
  constructor(status, message, retryAfter = null) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

// (method, path, {body, token, sessionId}) -> {status, headers, body}; throws an ApiFault only
// when the service cannot be reached.
export async function call(method, path, { body, token, sessionId } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers["X-Auth-Token"] = token;
  if (sessionId) headers["X-SessionId"] = sessionId;
  let answer;
  try {
    answer = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    throw new ApiFault(0, "unreachable");
  }
  const text = await answer.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: answer.status, headers: answer.headers, body: parsed };
}

// The fault an answer carries: {"badRequest": {"code": 400, "message": "…"}}.
export function faultOf(answer) {
  const inner = answer.body && Object.values(answer.body)[0];
  const message = (inner && typeof inner.message === "string") ? inner.message : "";
  const wait = Number.parseInt(answer.headers.get("Retry-After") ?? "", 10);
  return new ApiFault(answer.status, message, Number.isFinite(wait) ? wait : null);
}

// call(), with anything but `status` thrown as a fault.
export async function expect(status, method, path, options) {
  const answer = await call(method, path, options);
  if (answer.status !== status) throw faultOf(answer);
  return answer;
}

export const userPath = (userId) => `/v2.0/users/${encodeURIComponent(userId)}`;
export const mfaPath = (userId) => `${userPath(userId)}/RAX-AUTH/multi-factor`;
