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
