use super::{MobilePhone, SendLog, User};

/// Everything stored in one user's partition, loaded with one Query.
#[derive(Clone, Debug)]
pub struct Account {
    pub user: User,
    pub phone: Option<MobilePhone>,
    pub send_logs: Vec<SendLog>,
}

impl Account {
    pub fn send_log(&self, number: &str) -> SendLog {
        self.send_logs
            .iter()
            .find(|l| l.number == number)
            .cloned()
            .unwrap_or_else(|| SendLog::new(number))
    }
}

impl Account {
    /// The user's phone if it has this id (ids of other users' phones never match).
    pub fn phone_with_id(&self, phone_id: &str) -> Option<&MobilePhone> {
        self.phone.as_ref().filter(|p| p.id == phone_id)
    }
}
