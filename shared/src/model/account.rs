use super::{
    ApiKey, BypassCode, FactorType, MobilePhone, OtpDevice, SendLog, SendScope, User,
    WebAuthnDevice,
};

/// Everything stored in one user's partition, loaded with one Query.
#[derive(Clone, Debug)]
pub struct Account {
    pub user: User,
    pub phone: Option<MobilePhone>,
    /// In creation order.
    pub otp_devices: Vec<OtpDevice>,
    /// In creation order.
    pub webauthn_devices: Vec<WebAuthnDevice>,
    pub send_logs: Vec<SendLog>,
    pub bypass_codes: Vec<BypassCode>,
    pub api_key: Option<ApiKey>,
}

impl Account {
    /// The user's send log of this scope (empty if nothing was sent yet).
    pub fn send_log(&self, scope: SendScope<'_>) -> SendLog {
        self.send_logs
            .iter()
            .find(|l| l.number == scope.key())
            .cloned()
            .unwrap_or_else(|| SendLog::new(scope))
    }
}

impl Account {
    /// The user's phone if it has this id (ids of other users' phones never match).
    pub fn phone_with_id(&self, phone_id: &str) -> Option<&MobilePhone> {
        self.phone.as_ref().filter(|p| p.id == phone_id)
    }

    pub fn otp_device(&self, device_id: &str) -> Option<&OtpDevice> {
        self.otp_devices.iter().find(|d| d.id == device_id)
    }

    /// The verified phone, if any.
    pub fn verified_phone(&self) -> Option<&MobilePhone> {
        self.phone.as_ref().filter(|p| p.verified)
    }

    pub fn verified_otp_devices(&self) -> impl Iterator<Item = &OtpDevice> {
        self.otp_devices.iter().filter(|d| d.verified)
    }

    pub fn webauthn_device(&self, device_id: &str) -> Option<&WebAuthnDevice> {
        self.webauthn_devices.iter().find(|d| d.id == device_id)
    }

    pub fn verified_webauthn_devices(&self) -> impl Iterator<Item = &WebAuthnDevice> {
        self.webauthn_devices.iter().filter(|d| d.verified)
    }

    /// The ids of the user's verified devices of `factor`, in their order.
    pub fn verified_device_ids(&self, factor: FactorType) -> Vec<&str> {
        match factor {
            FactorType::Sms => self
                .verified_phone()
                .map(|p| p.id.as_str())
                .into_iter()
                .collect(),
            FactorType::Otp => self.verified_otp_devices().map(|d| d.id.as_str()).collect(),
            FactorType::WebAuthn => self
                .verified_webauthn_devices()
                .map(|d| d.id.as_str())
                .collect(),
        }
    }

    /// Would deleting a device of `factor`, verified or not, take the last verified device of
    /// the active second factor? (The store's delete holds the same rule as its condition.)
    pub fn takes_last_of_active_factor(&self, factor: FactorType, device_verified: bool) -> bool {
        device_verified
            && self.user.factor_active(factor)
            && self.verified_device_ids(factor).len() <= 1
    }
}
