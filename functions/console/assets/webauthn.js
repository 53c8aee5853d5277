// The browser's side of both WebAuthn ceremonies. The service speaks WebAuthn Level 3 JSON
// (binary members base64url); browsers that lack the JSON helpers get the same conversion here.

const bytes = (b64url) =>
  Uint8Array.from(atob(b64url.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

const b64url = (buffer) =>
  btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

const withIds = (list) => (list ?? []).map((c) => ({ ...c, id: bytes(c.id) }));

function creationOptions(json) {
  if (PublicKeyCredential.parseCreationOptionsFromJSON) {
    return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: bytes(json.challenge),
    user: { ...json.user, id: bytes(json.user.id) },
    excludeCredentials: withIds(json.excludeCredentials),
  };
}

function requestOptions(json) {
  if (PublicKeyCredential.parseRequestOptionsFromJSON) {
    return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  }
  return { ...json, challenge: bytes(json.challenge), allowCredentials: withIds(json.allowCredentials) };
}

function asJSON(credential) {
  if (credential.toJSON) return credential.toJSON();
  const r = credential.response;
  const response = { clientDataJSON: b64url(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = b64url(r.attestationObject);
    response.transports = r.getTransports ? r.getTransports() : [];
  } else {
    response.authenticatorData = b64url(r.authenticatorData);
    response.signature = b64url(r.signature);
    if (r.userHandle) response.userHandle = b64url(r.userHandle);
  }
  return {
    id: credential.id,
    rawId: b64url(credential.rawId),
    type: credential.type,
    response,
    clientExtensionResults: credential.getClientExtensionResults(),
  };
}

export function supported() {
  return typeof window.PublicKeyCredential === "function";
}

// Registration: the service's `publicKey` creation options -> the new credential as JSON.
export async function create(publicKey) {
  return asJSON(await navigator.credentials.create({ publicKey: creationOptions(publicKey) }));
}

// Login: the service's `publicKey` request options -> the assertion as JSON.
export async function get(publicKey) {
  return asJSON(await navigator.credentials.get({ publicKey: requestOptions(publicKey) }));
}

// What a refused or cancelled ceremony means to a person.
export function ceremonyWords(error) {
  if (error && error.name === "NotAllowedError") {
    return "The security key did not answer: it was cancelled or timed out.";
  }
  if (error && error.name === "InvalidStateError") {
    return "This security key is already registered.";
  }
  return "The security key could not be used here.";
}
