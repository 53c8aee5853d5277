//! Command-line parsing (a handful of flags: no framework needed).

use mfa_shared::model::{is_visible_text, MAX_USERNAME_BYTES};

pub enum Command {
    Help,
    CreateTable,
    /// A KMS key for OTP secrets under this alias, unless the alias exists.
    CreateKey {
        alias: String,
    },
    /// A Secrets Manager secret holding the HMAC pepper, unless the name exists.
    CreatePepperSecret {
        name: String,
    },
    CreateUser(NewUser),
    ShowUser {
        username: String,
    },
    /// Disabling revokes the user's tokens.
    SetEnabled {
        username: String,
        enabled: bool,
    },
    /// A tenant besides the domain's default one.
    AddTenant {
        domain: String,
        id: String,
        name: String,
    },
    /// The service catalog's template, from a JSON file.
    SetCatalog {
        file: String,
    },
    ShowCatalog,
    /// Domain settings: whether its users may log in with API keys.
    SetDomain {
        domain: String,
        api_key_logins: bool,
    },
}

pub struct NewUser {
    pub username: String,
    pub password: String,
    pub domain: Option<String>,
    pub roles: Vec<String>,
    pub email: Option<String>,
    pub default_region: Option<String>,
    pub disabled: bool,
}

pub fn parse(argv: &[String]) -> Result<Command, String> {
    let (command, rest) = argv.split_first().ok_or("no command given")?;
    let flags = Flags::parse(rest)?;
    match command.as_str() {
        "help" | "--help" | "-h" => Ok(Command::Help),
        "create-table" => {
            flags.only(&[])?;
            Ok(Command::CreateTable)
        }
        "create-key" => {
            flags.only(&["--alias"])?;
            Ok(Command::CreateKey {
                alias: flags
                    .optional("--alias")?
                    .unwrap_or_else(|| "alias/rax-mfa-otp".into()),
            })
        }
        "create-pepper-secret" => {
            flags.only(&["--name"])?;
            Ok(Command::CreatePepperSecret {
                name: flags
                    .optional("--name")?
                    .unwrap_or_else(|| "rax-mfa/code-pepper".into()),
            })
        }
        "create-user" => {
            flags.only(&[
                "--username",
                "--password",
                "--domain",
                "--role",
                "--email",
                "--default-region",
                "--disabled",
            ])?;
            let user = NewUser {
                username: flags.required("--username")?,
                password: flags.required("--password")?,
                domain: flags.optional("--domain")?,
                roles: flags.all("--role"),
                email: flags.optional("--email")?,
                default_region: flags.optional("--default-region")?,
                disabled: flags.switch("--disabled"),
            };
            if user.username.len() > MAX_USERNAME_BYTES {
                return Err(format!(
                    "--username may be at most {MAX_USERNAME_BYTES} bytes long"
                ));
            }
            for (flag, value) in [
                ("--username", Some(&user.username)),
                ("--domain", user.domain.as_ref()),
                ("--email", user.email.as_ref()),
                ("--default-region", user.default_region.as_ref()),
            ] {
                if value.is_some_and(|v| !is_visible_text(v)) {
                    return Err(format!(
                        "{flag} may not contain control characters or other invisible characters"
                    ));
                }
            }
            Ok(Command::CreateUser(user))
        }
        "show-user" => {
            flags.only(&["--username"])?;
            Ok(Command::ShowUser {
                username: flags.required("--username")?,
            })
        }
        "disable-user" | "enable-user" => {
            flags.only(&["--username"])?;
            Ok(Command::SetEnabled {
                username: flags.required("--username")?,
                enabled: command == "enable-user",
            })
        }
        "add-tenant" => {
            flags.only(&["--domain", "--id", "--name"])?;
            let id = flags.required("--id")?;
            let tenant = Command::AddTenant {
                domain: flags.required("--domain")?,
                name: flags.optional("--name")?.unwrap_or_else(|| id.clone()),
                id,
            };
            if let Command::AddTenant { id, name, .. } = &tenant {
                if ![id, name]
                    .iter()
                    .all(|v| is_visible_text(v) && !v.contains(','))
                {
                    return Err(
                        "--id and --name may not contain commas or invisible characters".into(),
                    );
                }
            }
            Ok(tenant)
        }
        "set-catalog" => {
            flags.only(&["--file"])?;
            Ok(Command::SetCatalog {
                file: flags.required("--file")?,
            })
        }
        "show-catalog" => {
            flags.only(&[])?;
            Ok(Command::ShowCatalog)
        }
        "set-domain" => {
            flags.only(&["--domain", "--api-key-logins"])?;
            let api_key_logins = match flags.required("--api-key-logins")?.as_str() {
                "on" => true,
                "off" => false,
                other => return Err(format!("--api-key-logins is on or off, not '{other}'")),
            };
            Ok(Command::SetDomain {
                domain: flags.required("--domain")?,
                api_key_logins,
            })
        }
        other => Err(format!("unknown command '{other}'")),
    }
}

struct Flags(Vec<(String, Option<String>)>);

const SWITCHES: &[&str] = &["--disabled"];

impl Flags {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut out = Vec::new();
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            if !flag.starts_with("--") {
                return Err(format!("unexpected argument '{flag}'"));
            }
            if SWITCHES.contains(&flag.as_str()) {
                out.push((flag.clone(), None));
            } else {
                let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
                out.push((flag.clone(), Some(value.clone())));
            }
        }
        Ok(Self(out))
    }

    fn only(&self, allowed: &[&str]) -> Result<(), String> {
        match self.0.iter().find(|(f, _)| !allowed.contains(&f.as_str())) {
            Some((f, _)) => Err(format!("unknown option {f}")),
            None => Ok(()),
        }
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(f, _)| f == name)
            .filter_map(|(_, v)| v.clone())
            .collect()
    }

    fn optional(&self, name: &str) -> Result<Option<String>, String> {
        let mut values = self.all(name);
        match values.len() {
            0 => Ok(None),
            1 => Ok(values.pop().filter(|v| !v.is_empty())),
            _ => Err(format!("{name} given more than once")),
        }
    }

    fn required(&self, name: &str) -> Result<String, String> {
        self.optional(name)?
            .ok_or_else(|| format!("{name} is required"))
    }

    fn switch(&self, name: &str) -> bool {
        self.0.iter().any(|(f, _)| f == name)
    }
}
