use webauthn_rs_core::error::WebauthnError;

/// Why a ceremony's answer was refused: a name for the log (never its content). The client sees
/// one message per ceremony whatever the reason (WEBAUTHN.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Origin,
    RpId,
    CeremonyType,
    Challenge,
    /// The registration challenge's lifetime is over (checked in code).
    Expired,
    UserPresence,
    UserVerification,
    Signature,
    /// The signature counter did not increase (a possible clone).
    Counter,
    /// Not a verified credential of this user.
    UnknownCredential,
    /// Registered to some user already.
    AlreadyRegistered,
    Algorithm,
    Malformed,
    /// What the service stored (a ceremony's state, a credential) cannot be read: the service's
    /// fault, not the answer's — a 500, never counted against the user.
    Unreadable,
}

impl Refusal {
    pub fn name(self) -> &'static str {
        match self {
            Self::Origin => "origin",
            Self::RpId => "rp_id",
            Self::CeremonyType => "ceremony_type",
            Self::Challenge => "challenge",
            Self::Expired => "expired",
            Self::UserPresence => "user_presence",
            Self::UserVerification => "user_verification",
            Self::Signature => "signature",
            Self::Counter => "counter",
            Self::UnknownCredential => "unknown_credential",
            Self::AlreadyRegistered => "already_registered",
            Self::Algorithm => "algorithm",
            Self::Malformed => "malformed",
            Self::Unreadable => "stored_state_unreadable",
        }
    }
}

impl Refusal {
    /// The fault when the refusal is the service's own (`Unreadable`): a 500 whose detail goes
    /// to the log only. `None` for a refusal of the answer.
    pub fn internal(self) -> Option<crate::ApiError> {
        (self == Self::Unreadable).then(|| {
            crate::ApiError::Internal("stored WebAuthn state or credential unreadable".into())
        })
    }
}

impl From<WebauthnError> for Refusal {
    fn from(e: WebauthnError) -> Self {
        use WebauthnError as E;
        match e {
            E::InvalidRPOrigin | E::CredentialCrossOrigin => Self::Origin,
            E::InvalidRPIDHash => Self::RpId,
            E::InvalidClientDataType => Self::CeremonyType,
            E::MismatchedChallenge | E::ChallengeNotFound => Self::Challenge,
            E::UserNotPresent => Self::UserPresence,
            E::UserNotVerified => Self::UserVerification,
            E::AuthenticationFailure | E::SignatureInvalid => Self::Signature,
            E::CredentialPossibleCompromise => Self::Counter,
            E::CredentialNotFound => Self::UnknownCredential,
            E::CredentialAlreadyExists | E::CredentialExcludedFromRequest => {
                Self::AlreadyRegistered
            }
            E::CredentialAlteredAlgFromRequest | E::COSEKeyInvalidAlgorithm => Self::Algorithm,
            _ => Self::Malformed,
        }
    }
}
