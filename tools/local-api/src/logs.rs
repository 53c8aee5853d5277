//! Where function output goes: a file (tests scan it for secrets) or standard output.

use std::fs::File;
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone)]
pub struct LogSink {
    file: Option<Arc<Mutex<File>>>,
    to_stderr: bool,
}

impl LogSink {
    pub fn new(path: Option<&str>) -> std::io::Result<Self> {
        let file = match path {
            Some(p) => Some(Arc::new(Mutex::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)?,
            ))),
            None => None,
        };
        Ok(Self {
            file,
            to_stderr: false,
        })
    }

    /// Standard error (so that standard output carries only a result).
    pub fn stderr() -> Self {
        Self {
            file: None,
            to_stderr: true,
        }
    }

    pub fn line(&self, source: &str, line: &str) {
        match &self.file {
            Some(f) => {
                if let Ok(mut f) = f.lock() {
                    let _ = writeln!(f, "[{source}] {line}");
                }
            }
            None if self.to_stderr => eprintln!("[{source}] {line}"),
            None => println!("[{source}] {line}"),
        }
    }
}
