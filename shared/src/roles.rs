//! The five identity roles (BEHAVIOR.md 1.1) with their weights and fixed ids, and the one
//! role beside them: `identity:validate-token`, which lets a service validate tokens.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IdentityRole {
    ServiceAdmin,
    Admin,
    UserAdmin,
    UserManage,
    Default,
}

impl IdentityRole {
    pub const ALL: [IdentityRole; 5] = [
        Self::ServiceAdmin,
        Self::Admin,
        Self::UserAdmin,
        Self::UserManage,
        Self::Default,
    ];

    /// Lower weight = more power.
    pub fn weight(self) -> u32 {
        match self {
            Self::ServiceAdmin => 0,
            Self::Admin => 100,
            Self::UserAdmin => 750,
            Self::UserManage => 900,
            Self::Default => 2000,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::ServiceAdmin => "identity:service-admin",
            Self::Admin => "identity:admin",
            Self::UserAdmin => "identity:user-admin",
            Self::UserManage => "identity:user-manage",
            Self::Default => "identity:default",
        }
    }

    /// Fixed role ids, as the original service numbers them.
    pub fn id(self) -> &'static str {
        match self {
            Self::ServiceAdmin => "4",
            Self::Admin => "1",
            Self::UserAdmin => "3",
            Self::UserManage => "7",
            Self::Default => "2",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Self::ServiceAdmin => "Service Admin Role.",
            Self::Admin => "Admin Role.",
            Self::UserAdmin => "User Admin Role.",
            Self::UserManage => "User Manager Role.",
            Self::Default => "Default Role.",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.name() == name)
    }

    /// User-admins, user-managers and default users act only within their domain.
    pub fn is_domain_based(self) -> bool {
        matches!(self, Self::UserAdmin | Self::UserManage | Self::Default)
    }

    /// A user's identity type: its lowest-weight role.
    pub fn identity_type<'a>(names: impl IntoIterator<Item = &'a String>) -> Option<Self> {
        names
            .into_iter()
            .filter_map(|n| Self::from_name(n))
            .min_by_key(|r| r.weight())
    }
}

/// The role that lets a service validate others' tokens (`GET /v2.0/tokens/{tokenId}`)
/// without being an administrator. It gives no weight: a user holding it keeps its identity
/// role.
pub const VALIDATE_TOKEN: &str = "identity:validate-token";

/// A role a user may hold: an identity role or [`VALIDATE_TOKEN`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Identity(IdentityRole),
    ValidateToken,
}

impl Role {
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            VALIDATE_TOKEN => Some(Self::ValidateToken),
            _ => IdentityRole::from_name(name).map(Self::Identity),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Identity(r) => r.name(),
            Self::ValidateToken => VALIDATE_TOKEN,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Self::Identity(r) => r.id(),
            Self::ValidateToken => "10",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Self::Identity(r) => r.description(),
            Self::ValidateToken => "Validate Token Role.",
        }
    }
}
