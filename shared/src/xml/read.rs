//! XML request bodies as the JSON value the operations already parse (rules in the module doc).
//!
//! Safe by construction: a document with a DTD is refused, so no entity can be declared (no
//! "billion laughs", no external entity); only the five predefined entities and character
//! references are expanded; elements nest at most `MAX_DEPTH` deep.

use super::{KSKEY_KEY_PREFIX, NS_IDENTITY, NS_KSKEY, NS_RAX, RAX_KEY_PREFIX};
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};
use serde_json::{Map, Value};

/// Why a body is not a document we accept. The reason is for tests and logs; clients see
/// `Invalid XML`.
#[derive(Debug, PartialEq, Eq)]
pub struct InvalidXml(pub &'static str);

/// Request documents are two or three levels deep; anything much deeper is not one of ours.
const MAX_DEPTH: usize = 16;
/// Namespace declarations on one element: ours declare two at most (identity and RAX-AUTH).
const MAX_NAMESPACE_DECLARATIONS: usize = 4;
/// Attributes in a whole document, declarations included: ours carry a handful. With the
/// body cap (`http::MAX_BODY_BYTES`), a hostile document costs a bounded, small parse.
const MAX_ATTRIBUTES: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ns {
    Identity,
    Rax,
    Kskey,
    /// No namespace: the docs' examples are inconsistent, so names count by local name.
    Unqualified,
}

/// A parsed document: its root element and the root's content as JSON.
#[derive(Debug)]
pub struct Document {
    /// Only the tests look at it: operations match the root by local name.
    #[cfg(test)]
    root_ns: Ns,
    root_local: String,
    content: Value,
}

impl Document {
    /// `{"<root>": content}`, the root named as JSON names it.
    #[cfg(test)]
    pub fn into_value(self) -> Value {
        let mut map = Map::new();
        map.insert(json_key(self.root_ns, &self.root_local), self.content);
        Value::Object(map)
    }

    /// The content, if the root element is the one `root` names in JSON (`RAX-AUTH:mobilePhone`
    /// is a `mobilePhone` element). API.md 1.1: matched by local name, in the RAX-AUTH or
    /// identity namespace or in none.
    pub fn content_of(self, root: &str) -> Result<Value, InvalidXml> {
        let local = root
            .strip_prefix(RAX_KEY_PREFIX)
            .or_else(|| root.strip_prefix(KSKEY_KEY_PREFIX))
            .unwrap_or(root);
        if self.root_local == local {
            Ok(self.content)
        } else {
            Err(InvalidXml("another root element"))
        }
    }
}

struct Element {
    ns: Ns,
    local: String,
    members: Map<String, Value>,
    text: String,
}

pub fn parse(bytes: &[u8]) -> Result<Document, InvalidXml> {
    let text = std::str::from_utf8(bytes).map_err(|_| InvalidXml("not UTF-8"))?;
    let mut reader = NsReader::from_str(text);
    reader
        .resolver_mut()
        .set_max_declarations_per_element(MAX_NAMESPACE_DECLARATIONS);
    let mut attributes = 0;
    let mut open: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let (resolved, event) = reader
            .read_resolved_event()
            .map_err(|_| InvalidXml("not well-formed"))?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let ns =
                    namespace(resolved)?.ok_or(InvalidXml("an element of another namespace"))?;
                if root.is_some() {
                    return Err(InvalidXml("more than one root element"));
                }
                if open.len() >= MAX_DEPTH {
                    return Err(InvalidXml("nested too deep"));
                }
                attributes += start.attributes().count();
                if attributes > MAX_ATTRIBUTES {
                    return Err(InvalidXml("too many attributes"));
                }
                let element = read_start(&reader, ns, start)?;
                if matches!(event, Event::Empty(_)) {
                    close(element, &mut open, &mut root)?;
                } else {
                    open.push(element);
                }
            }
            Event::End(_) => {
                let element = open.pop().ok_or(InvalidXml("unmatched end tag"))?;
                close(element, &mut open, &mut root)?;
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|_| InvalidXml("bad text"))?;
                add_text(&mut open, &s)?;
            }
            Event::CData(c) => {
                let s = c.decode().map_err(|_| InvalidXml("bad CDATA"))?;
                add_text(&mut open, &s)?;
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|_| InvalidXml("bad reference"))?;
                let expanded = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => resolve_predefined_entity(&name)
                        .ok_or(InvalidXml("undeclared entity"))?
                        .to_owned(),
                    Err(_) => return Err(InvalidXml("bad character reference")),
                };
                add_text(&mut open, &expanded)?;
            }
            Event::DocType(_) => return Err(InvalidXml("a DTD")),
            Event::PI(_) => return Err(InvalidXml("a processing instruction")),
            Event::Decl(decl) => {
                if let Some(Ok(encoding)) = decl.encoding() {
                    if !encoding.eq_ignore_ascii_case(b"utf-8") {
                        return Err(InvalidXml("an encoding other than UTF-8"));
                    }
                }
            }
            Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !open.is_empty() {
        return Err(InvalidXml("unclosed element"));
    }
    let root = root.ok_or(InvalidXml("no root element"))?;
    let content = content(root.members, root.text)?;
    Ok(Document {
        #[cfg(test)]
        root_ns: root.ns,
        root_local: root.local,
        content,
    })
}

/// One of our namespaces, `None` for any other; API.md 1.1: an undeclared `RAX-AUTH:` prefix
/// (in some of the docs' examples) means RAX-AUTH, any other undeclared prefix is an error.
fn namespace(resolved: ResolveResult<'_>) -> Result<Option<Ns>, InvalidXml> {
    match resolved {
        ResolveResult::Unbound => Ok(Some(Ns::Unqualified)),
        ResolveResult::Bound(ns) if ns.as_ref() == NS_IDENTITY.as_bytes() => Ok(Some(Ns::Identity)),
        ResolveResult::Bound(ns) if ns.as_ref() == NS_RAX.as_bytes() => Ok(Some(Ns::Rax)),
        ResolveResult::Bound(ns) if ns.as_ref() == NS_KSKEY.as_bytes() => Ok(Some(Ns::Kskey)),
        ResolveResult::Bound(_) => Ok(None),
        ResolveResult::Unknown(prefix) if prefix.eq_ignore_ascii_case(b"RAX-AUTH") => {
            Ok(Some(Ns::Rax))
        }
        ResolveResult::Unknown(prefix) if prefix.eq_ignore_ascii_case(b"RAX-KSKEY") => {
            Ok(Some(Ns::Kskey))
        }
        ResolveResult::Unknown(_) => Err(InvalidXml("an undeclared prefix")),
    }
}

fn read_start(
    reader: &NsReader<&[u8]>,
    ns: Ns,
    start: &BytesStart<'_>,
) -> Result<Element, InvalidXml> {
    let local = std::str::from_utf8(start.local_name().into_inner())
        .map_err(|_| InvalidXml("bad name"))?
        .to_owned();
    let mut members = Map::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|_| InvalidXml("bad or repeated attribute"))?;
        let key = attr.key.as_ref();
        if key == b"xmlns" || key.starts_with(b"xmlns:") {
            continue; // a namespace declaration, not data
        }
        let (resolved, local_name) = reader.resolver().resolve_attribute(attr.key);
        // xml:lang, xsi:schemaLocation and the like (other namespaces) carry nothing we read.
        let Some(attr_ns) = namespace(resolved)? else {
            continue;
        };
        let name =
            std::str::from_utf8(local_name.into_inner()).map_err(|_| InvalidXml("bad name"))?;
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|_| InvalidXml("undeclared entity in an attribute"))?;
        insert(
            &mut members,
            json_key(attr_ns, name),
            value.into_owned().into(),
        )?;
    }
    Ok(Element {
        ns,
        local,
        members,
        text: String::new(),
    })
}

fn add_text(open: &mut [Element], text: &str) -> Result<(), InvalidXml> {
    match open.last_mut() {
        Some(element) => {
            element.text.push_str(text);
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err(InvalidXml("text outside the root element")),
    }
}

fn close(
    element: Element,
    open: &mut [Element],
    root: &mut Option<Element>,
) -> Result<(), InvalidXml> {
    match open.last_mut() {
        Some(parent) => {
            let key = json_key(element.ns, &element.local);
            let value = content(element.members, element.text)?;
            insert(&mut parent.members, key, value)
        }
        None => {
            *root = Some(element);
            Ok(())
        }
    }
}

/// Attributes and children become an object; an element with only text is a string.
fn content(members: Map<String, Value>, text: String) -> Result<Value, InvalidXml> {
    let blank = text.trim().is_empty();
    match (members.is_empty(), blank) {
        (true, false) => Ok(Value::String(text)),
        (_, true) => Ok(Value::Object(members)),
        (false, false) => Err(InvalidXml("text beside attributes or elements")),
    }
}

fn insert(members: &mut Map<String, Value>, key: String, value: Value) -> Result<(), InvalidXml> {
    if members.insert(key, value).is_some() {
        return Err(InvalidXml("a member given twice"));
    }
    Ok(())
}

fn json_key(ns: Ns, local: &str) -> String {
    match ns {
        Ns::Rax => format!("{RAX_KEY_PREFIX}{local}"),
        Ns::Kskey => format!("{KSKEY_KEY_PREFIX}{local}"),
        Ns::Identity | Ns::Unqualified => local.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn value(xml: &str) -> Value {
        parse(xml.as_bytes()).unwrap().into_value()
    }

    fn refused(xml: &str) -> &'static str {
        parse(xml.as_bytes()).unwrap_err().0
    }

    #[test]
    fn the_docs_examples_read_as_their_json_twins() {
        assert_eq!(
            value(
                r#"<?xml version="1.0" encoding="UTF-8"?>
                <mobilePhone xmlns="http://docs.rackspace.com/identity/api/ext/RAX-AUTH/v1.0"
                             number="+1 210-312-4600"/>"#
            ),
            json!({"RAX-AUTH:mobilePhone": {"number": "+1 210-312-4600"}})
        );
        assert_eq!(
            value(
                r#"<auth xmlns="http://docs.openstack.org/identity/api/v2.0"
                      xmlns:RAX-AUTH="http://docs.rackspace.com/identity/api/ext/RAX-AUTH/v1.0">
                  <RAX-AUTH:passcodeCredentials passcode="123456"/>
                </auth>"#
            ),
            json!({"auth": {"RAX-AUTH:passcodeCredentials": {"passcode": "123456"}}})
        );
        assert_eq!(
            value(
                r#"<auth xmlns="http://docs.openstack.org/identity/api/v2.0"><passwordCredentials username="jqsmith" password="a&amp;b&#x21;"/></auth>"#
            ),
            json!({"auth": {"passwordCredentials": {"username": "jqsmith", "password": "a&b!"}}})
        );
    }

    #[test]
    fn api_key_credentials_read_in_their_namespace_or_by_local_name() {
        let expected =
            json!({"auth": {"RAX-KSKEY:apiKeyCredentials": {"username": "u", "apiKey": "k"}}});
        assert_eq!(
            value(
                r#"<auth xmlns="http://docs.openstack.org/identity/api/v2.0"><apiKeyCredentials
                     xmlns="http://docs.rackspace.com/identity/api/ext/RAX-KSKEY/v1.0" username="u" apiKey="k"/></auth>"#
            ),
            expected
        );
        assert_eq!(
            value(r#"<auth><RAX-KSKEY:apiKeyCredentials username="u" apiKey="k"/></auth>"#),
            expected
        );
        assert_eq!(
            value(r#"<auth><token id="t"/></auth>"#),
            json!({"auth": {"token": {"id": "t"}}})
        );
    }

    #[test]
    fn names_match_by_local_name_and_an_undeclared_rax_auth_prefix_is_tolerated() {
        let doc = parse(br#"<multiFactor enabled="true"/>"#).unwrap();
        assert_eq!(
            doc.content_of("RAX-AUTH:multiFactor").unwrap(),
            json!({"enabled": "true"})
        );
        assert_eq!(
            value(r#"<auth><RAX-AUTH:passcodeCredentials passcode="1"/></auth>"#),
            json!({"auth": {"RAX-AUTH:passcodeCredentials": {"passcode": "1"}}})
        );
        let other = parse(br#"<otpDevice name="a"/>"#).unwrap();
        assert_eq!(
            other.content_of("RAX-AUTH:mobilePhone").unwrap_err(),
            InvalidXml("another root element")
        );
        assert_eq!(
            value(r#"<code>1234</code>"#),
            json!({"code": "1234"}),
            "an element with only text is a string"
        );
    }

    #[test]
    fn entity_declarations_and_unknown_entities_are_refused() {
        let laughs = r#"<?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
            <mobilePhone number="&lol2;"/>"#;
        assert_eq!(refused(laughs), "a DTD");
        let external = r#"<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x a="&xxe;"/>"#;
        assert_eq!(refused(external), "a DTD");
        assert_eq!(
            refused(r#"<x a="&xxe;"/>"#),
            "undeclared entity in an attribute"
        );
        assert_eq!(refused(r#"<x>&xxe;</x>"#), "undeclared entity");
    }

    #[test]
    fn malformed_documents_are_refused() {
        for (xml, why) in [
            ("", "no root element"),
            ("<a>", "unclosed element"),
            ("<a></b>", "not well-formed"),
            ("<a/><b/>", "more than one root element"),
            ("text", "text outside the root element"),
            (r#"<a x="1" x="2"/>"#, "bad or repeated attribute"),
            (r#"<a x="1"><x>2</x></a>"#, "a member given twice"),
            (r#"<a x="1">text</a>"#, "text beside attributes or elements"),
            (
                r#"<p:a xmlns:p="urn:other"/>"#,
                "an element of another namespace",
            ),
            (r#"<q:a/>"#, "an undeclared prefix"),
            (
                r#"<?xml version="1.0" encoding="ISO-8859-1"?><a/>"#,
                "an encoding other than UTF-8",
            ),
            (r#"<?php x?><a/>"#, "a processing instruction"),
        ] {
            assert_eq!(refused(xml), why, "{xml}");
        }
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert_eq!(refused(&deep), "nested too deep");
        assert_eq!(parse(&[0xff, 0xfe]).unwrap_err(), InvalidXml("not UTF-8"));
    }

    #[test]
    fn namespace_heavy_and_attribute_heavy_documents_are_refused() {
        let declarations: String = (0..=MAX_NAMESPACE_DECLARATIONS)
            .map(|i| format!(r#" xmlns:p{i}="urn:{i}""#))
            .collect();
        assert_eq!(refused(&format!("<a{declarations}/>")), "not well-formed");
        let four: String = (0..MAX_NAMESPACE_DECLARATIONS)
            .map(|i| format!(r#" xmlns:p{i}="urn:{i}""#))
            .collect();
        assert!(parse(format!("<a{four}/>").as_bytes()).is_ok());
        // Spread over elements, each under the per-element limit, they still count.
        let elements: String = (0..=MAX_ATTRIBUTES / 4)
            .map(|i| format!(r#"<b{i} xmlns:p="urn:p" xmlns:q="urn:q" p:x="1" q:y="2"/>"#))
            .collect();
        let many = format!("<a>{elements}</a>");
        assert_eq!(refused(&many), "too many attributes");
    }
}
