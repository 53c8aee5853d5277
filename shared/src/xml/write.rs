//! JSON response values written as XML documents (rules in the module doc), with quick-xml's
//! writer doing all escaping. The root element's namespace is the default namespace; RAX-AUTH
//! names under an identity root carry the `rax-auth:` prefix, as in the docs' examples.

use super::{KSKEY_KEY_PREFIX, NS_IDENTITY, NS_KSKEY, NS_RAX, RAX_KEY_PREFIX};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use serde_json::Value;
use std::io;

/// Members written as child elements holding text, not as attributes (faults, API.md 4.1).
const TEXT_ELEMENTS: &[&str] = &["message", "details"];
/// Arrays of strings written as one space-separated attribute (`xsd:list`, API.md OP-13).
const LIST_ATTRIBUTES: &[&str] = &["codes"];
/// Members with no XML form, left out of XML answers: the WebAuthn ceremonies' options are a
/// browser protocol, JSON only (WEBAUTHN.md).
const JSON_ONLY: &[&str] = &["RAX-AUTH:webAuthnOptions", "publicKey"];
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ns {
    Identity,
    Rax,
    Kskey,
}

/// The extensions: how JSON keys name them, their namespace, the XML prefix they get below a
/// root of another namespace.
const EXTENSIONS: [(Ns, &str, &str, &str); 2] = [
    (Ns::Rax, RAX_KEY_PREFIX, NS_RAX, "rax-auth"),
    (Ns::Kskey, KSKEY_KEY_PREFIX, NS_KSKEY, "rax-kskey"),
];

/// `{"<root>": content}` as an XML document; `None` for any other value. Keystone's paging
/// links (`tenants_links`) beside a list's root have no XML form and are left out, as are
/// `JSON_ONLY` members.
pub fn render(document: &Value) -> Option<Vec<u8>> {
    let mut members = document
        .as_object()?
        .iter()
        .filter(|(key, _)| !key.ends_with("_links") && !JSON_ONLY.contains(&key.as_str()));
    let (key, content) = members.next()?;
    if members.next().is_some() {
        return None;
    }
    let (root_ns, local) = split(key, Ns::Identity);
    let mut out = Writer::new(Vec::new());
    let doc = Doc { root_ns };
    let mut declarations = vec![("xmlns".to_owned(), uri(root_ns))];
    for (ns, key_prefix, ns_uri, xml_prefix) in EXTENSIONS {
        if ns != root_ns && mentions(content, key_prefix) {
            declarations.push((format!("xmlns:{xml_prefix}"), ns_uri));
        }
    }
    let written = out
        .write_event(Event::Decl(BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )))
        .and_then(|()| doc.element(&mut out, root_ns, local, content, &declarations));
    written.ok().map(|()| out.into_inner())
}

struct Doc {
    root_ns: Ns,
}

fn uri(ns: Ns) -> &'static str {
    match ns {
        Ns::Identity => NS_IDENTITY,
        Ns::Rax => NS_RAX,
        Ns::Kskey => NS_KSKEY,
    }
}

/// The XML prefix of an extension's names below a root of another namespace.
fn xml_prefix(ns: Ns) -> &'static str {
    EXTENSIONS.iter().find(|e| e.0 == ns).map_or("", |e| e.3)
}

impl Doc {
    /// An element's name: plain in the root's (default) namespace, else prefixed.
    fn name(&self, ns: Ns, local: &str) -> String {
        if ns == self.root_ns {
            local.to_owned()
        } else {
            format!("{}:{local}", xml_prefix(ns))
        }
    }

    fn element(
        &self,
        out: &mut Writer<Vec<u8>>,
        ns: Ns,
        local: &str,
        content: &Value,
        declarations: &[(String, &str)],
    ) -> io::Result<()> {
        let name = self.name(ns, local);
        let mut start = BytesStart::new(name.as_str());
        start.extend_attributes(declarations.iter().map(|(k, v)| (k.as_str(), *v)));
        let mut children: Vec<(Ns, &str, &Value)> = Vec::new();
        match content {
            Value::Object(members) => {
                for (key, value) in members {
                    if JSON_ONLY.contains(&key.as_str()) {
                        continue;
                    }
                    if let Some(text) = attribute_text(key, value) {
                        start.push_attribute((attribute_name(key).as_str(), text.as_str()));
                    } else if !value.is_null() {
                        let (child_ns, child_local) = split(key, ns);
                        children.push((child_ns, child_local, value));
                    }
                }
            }
            Value::Array(items) => {
                children.extend(items.iter().map(|item| (ns, item_name(local), item)));
            }
            scalar => {
                out.write_event(Event::Start(start))?;
                out.write_event(Event::Text(BytesText::new(&scalar_text(scalar))))?;
                return out.write_event(Event::End(BytesEnd::new(name.as_str())));
            }
        }
        if children.is_empty() {
            return out.write_event(Event::Empty(start));
        }
        out.write_event(Event::Start(start))?;
        for (child_ns, child_local, value) in children {
            self.element(out, child_ns, child_local, value, &[])?;
        }
        out.write_event(Event::End(BytesEnd::new(name.as_str())))
    }
}

/// The attribute text of a member written as an attribute; `None` for elements.
fn attribute_text(key: &str, value: &Value) -> Option<String> {
    match value {
        Value::Null | Value::Object(_) => None,
        Value::String(_) | Value::Bool(_) | Value::Number(_) => {
            (!TEXT_ELEMENTS.contains(&key)).then(|| scalar_text(value))
        }
        Value::Array(items) if LIST_ATTRIBUTES.contains(&key) => {
            Some(items.iter().map(scalar_text).collect::<Vec<_>>().join(" "))
        }
        Value::Array(_) => None,
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.chars().map(xml_char).collect(),
        other => other.to_string(),
    }
}

/// A character XML 1.0 can carry, escaped or not; U+FFFD for one it cannot (controls, which
/// names refuse today but data stored earlier may hold): the document stays well-formed.
fn xml_char(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => c,
        '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
        _ => c,
    }
}

/// `RAX-AUTH:name` is in RAX-AUTH (`RAX-KSKEY:name` in RAX-KSKEY); any other key in its
/// parent's namespace.
fn split(key: &str, parent: Ns) -> (Ns, &str) {
    EXTENSIONS
        .iter()
        .find_map(|(ns, prefix, _, _)| key.strip_prefix(prefix).map(|local| (*ns, local)))
        .unwrap_or((parent, key))
}

/// Unprefixed attributes have no namespace (XML's rule); an extension's are prefixed.
fn attribute_name(key: &str) -> String {
    match split(key, Ns::Identity) {
        (Ns::Identity, local) => local.to_owned(),
        (ns, local) => format!("{}:{local}", xml_prefix(ns)),
    }
}

/// The element of one array item: `roles` -> `role`, `authenticatedBy` -> `credential`.
fn item_name(list: &str) -> &str {
    match list {
        "authenticatedBy" => "credential",
        other => other.strip_suffix('s').unwrap_or(other),
    }
}

fn mentions(value: &Value, key_prefix: &str) -> bool {
    match value {
        Value::Object(members) => members
            .iter()
            .any(|(k, v)| k.starts_with(key_prefix) || mentions(v, key_prefix)),
        Value::Array(items) => items.iter().any(|item| mentions(item, key_prefix)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn xml(value: Value) -> String {
        String::from_utf8(render(&value).unwrap()).unwrap()
    }

    const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

    #[test]
    fn rax_auth_resources_use_the_default_namespace() {
        assert_eq!(
            xml(
                json!({"RAX-AUTH:mobilePhones": [{"id": "p1", "number": "+1 512-555-0123", "verified": true}]})
            ),
            format!(
                r#"{DECL}<mobilePhones xmlns="{NS_RAX}"><mobilePhone id="p1" number="+1 512-555-0123" verified="true"/></mobilePhones>"#
            )
        );
        assert_eq!(
            xml(
                json!({"RAX-AUTH:bypassCodes": {"codes": ["1", "2"], "validityDuration": "PT30M0.000S"}})
            ),
            format!(
                r#"{DECL}<bypassCodes xmlns="{NS_RAX}" codes="1 2" validityDuration="PT30M0.000S"/>"#
            )
        );
        assert_eq!(
            xml(json!({"RAX-AUTH:otpDevice": {"keyUri": "otpauth://totp/R:a?secret=S&issuer=R"}})),
            format!(
                r#"{DECL}<otpDevice xmlns="{NS_RAX}" keyUri="otpauth://totp/R:a?secret=S&amp;issuer=R"/>"#
            )
        );
    }

    #[test]
    fn identity_documents_prefix_their_rax_auth_names() {
        let access = json!({"access": {
            "token": {"id": "t", "expires": "e", "RAX-AUTH:authenticatedBy": ["PASSCODE", "PASSWORD"]},
            "user": {"id": "u", "RAX-AUTH:multiFactorEnabled": true,
                     "roles": [{"id": "3", "name": "identity:user-admin"}]},
            "serviceCatalog": []
        }});
        assert_eq!(
            xml(access),
            format!(
                concat!(
                    r#"{DECL}<access xmlns="{ID}" xmlns:rax-auth="{RAX}">"#,
                    r#"<token id="t" expires="e"><rax-auth:authenticatedBy>"#,
                    r#"<rax-auth:credential>PASSCODE</rax-auth:credential>"#,
                    r#"<rax-auth:credential>PASSWORD</rax-auth:credential>"#,
                    r#"</rax-auth:authenticatedBy></token>"#,
                    r#"<user id="u" rax-auth:multiFactorEnabled="true"><roles><role id="3" name="identity:user-admin"/></roles></user>"#,
                    r#"<serviceCatalog/></access>"#
                ),
                DECL = DECL,
                ID = NS_IDENTITY,
                RAX = NS_RAX
            )
        );
    }

    #[test]
    fn faults_carry_the_message_as_an_element_and_escape_it() {
        assert_eq!(
            xml(json!({"badRequest": {"code": 400, "message": "a < b & \"c\""}})),
            format!(
                r#"{DECL}<badRequest xmlns="{NS_IDENTITY}" code="400"><message>a &lt; b &amp; &quot;c&quot;</message></badRequest>"#
            )
        );
    }

    #[test]
    fn characters_xml_cannot_carry_become_replacement_characters() {
        assert_eq!(
            xml(json!({"RAX-AUTH:otpDevice": {"name": "a\u{1}b\u{FFFF}"}})),
            format!("{DECL}<otpDevice xmlns=\"{NS_RAX}\" name=\"a\u{FFFD}b\u{FFFD}\"/>")
        );
    }

    #[test]
    fn api_key_credentials_are_in_the_rax_kskey_namespace() {
        assert_eq!(
            xml(json!({"RAX-KSKEY:apiKeyCredentials": {"username": "u", "apiKey": "k"}})),
            format!(r#"{DECL}<apiKeyCredentials xmlns="{NS_KSKEY}" username="u" apiKey="k"/>"#)
        );
    }

    #[test]
    fn only_single_rooted_objects_are_documents() {
        assert!(render(&json!([1])).is_none());
        assert!(render(&json!({"a": {}, "b": {}})).is_none());
        assert_eq!(
            xml(json!({"tenants": [{"id": "t"}], "tenants_links": []})),
            format!(r#"{DECL}<tenants xmlns="{NS_IDENTITY}"><tenant id="t"/></tenants>"#)
        );
    }

    #[test]
    fn webauthn_options_are_left_out_of_xml() {
        let device = json!({"RAX-AUTH:webAuthnDevice": {
            "id": "d", "name": "Key", "verified": false, "publicKey": {"challenge": "c"}}});
        assert_eq!(
            xml(device),
            format!(
                r#"{DECL}<webAuthnDevice xmlns="{NS_RAX}" id="d" name="Key" verified="false"/>"#
            )
        );
        let challenge = json!({
            "unauthorized": {"code": 401, "message": "m"},
            "RAX-AUTH:webAuthnOptions": {"publicKey": {"challenge": "c"}}});
        assert!(!xml(challenge).contains("challenge"));
    }
}
