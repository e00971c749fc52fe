//! Reading the XML: a small element tree (names, attributes, text, children, the line each
//! element starts on), built without recursion from quick-xml's events. Only the five entities
//! XML defines and character references are expanded; a document type declaration (the one way
//! to define more, and to make a small file expand into a huge one) is refused.

use crate::quiz::gift::GiftError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// How deep elements may nest. Moodle's deepest question (drag and drop onto an image) nests
/// six; anything far deeper is not a question file.
const MAX_DEPTH: usize = 24;

pub(super) struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    /// The text directly inside (CDATA included), entities expanded.
    pub text: String,
    pub children: Vec<usize>,
    /// The line the element starts on (1-based).
    pub line: usize,
}

/// The document's elements; the first is the root.
pub(super) struct Tree {
    elements: Vec<Element>,
}

impl Tree {
    pub fn root(&self) -> usize {
        0
    }

    pub fn get(&self, at: usize) -> &Element {
        &self.elements[at]
    }

    /// The children of `at` named `name`, in document order.
    pub fn children<'a>(&'a self, at: usize, name: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.elements[at]
            .children
            .iter()
            .copied()
            .filter(move |&c| self.elements[c].name == name)
    }

    pub fn child(&self, at: usize, name: &str) -> Option<usize> {
        self.children(at, name).next()
    }

    pub fn attribute(&self, at: usize, name: &str) -> Option<&str> {
        self.elements[at]
            .attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The text of the element reached from `at` along `path` (first child of each name).
    pub fn text_at(&self, at: usize, path: &[&str]) -> Option<&str> {
        let mut here = at;
        for name in path {
            here = self.child(here, name)?;
        }
        Some(self.elements[here].text.as_str())
    }
}

/// Line numbers of byte offsets.
struct Lines(Vec<usize>);

impl Lines {
    fn of(input: &str) -> Self {
        Lines(
            input
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    fn at(&self, offset: u64) -> usize {
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        self.0.partition_point(|&newline| newline < offset) + 1
    }
}

fn error(line: usize, message: impl Into<String>) -> GiftError {
    GiftError {
        line,
        error: message.into(),
    }
}

/// Reads a whole document into a tree, or says where it stops being well-formed XML.
pub(super) fn read(input: &str) -> Result<Tree, GiftError> {
    let lines = Lines::of(input);
    let mut reader = Reader::from_str(input);
    let malformed = |reader: &Reader<&[u8]>, e: quick_xml::Error| {
        let why = match e {
            quick_xml::Error::IllFormed(e) => e.to_string(),
            quick_xml::Error::Syntax(e) => e.to_string(),
            e => e.to_string(),
        };
        error(
            lines.at(reader.error_position()),
            format!("The XML is not well formed: {why}."),
        )
    };
    let mut elements: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        let position = reader.buffer_position();
        let line = lines.at(position);
        let event = reader.read_event().map_err(|e| malformed(&reader, e))?;
        match event {
            Event::Start(start) | Event::Empty(start)
                if open.is_empty() && !elements.is_empty() =>
            {
                return Err(error(
                    line,
                    format!(
                        "A second top-level element <{}>: everything belongs inside <quiz>.",
                        String::from_utf8_lossy(start.name().as_ref())
                    ),
                ));
            }
            Event::Start(start) => {
                let at = element(&reader, &start, line, &mut elements, &open)
                    .map_err(|e| malformed(&reader, e))?;
                if open.len() >= MAX_DEPTH {
                    return Err(error(
                        line,
                        format!("Elements nest more than {MAX_DEPTH} deep: this is not a Moodle question file."),
                    ));
                }
                open.push(at);
            }
            Event::Empty(start) => {
                element(&reader, &start, line, &mut elements, &open)
                    .map_err(|e| malformed(&reader, e))?;
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Text(text) => {
                let text = text
                    .xml10_content()
                    .map_err(|e| malformed(&reader, e.into()))?;
                match open.last() {
                    Some(&at) => elements[at].text.push_str(&text),
                    None if text.trim().is_empty() => {}
                    None => {
                        let lead = text.len() - text.trim_start().len();
                        return Err(error(
                            lines.at(position + lead as u64),
                            "Text outside the <quiz> element: everything belongs inside it.",
                        ));
                    }
                }
            }
            Event::CData(data) => {
                let text = data
                    .xml10_content()
                    .map_err(|e| malformed(&reader, e.into()))?;
                if let Some(&at) = open.last() {
                    elements[at].text.push_str(&text);
                }
            }
            Event::GeneralRef(reference) => {
                let expanded = match reference
                    .resolve_char_ref()
                    .map_err(|e| malformed(&reader, e))?
                {
                    Some(c) => c.to_string(),
                    None => {
                        let name = reference
                            .decode()
                            .map_err(|e| malformed(&reader, e.into()))?;
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(text) => text.to_owned(),
                            None => {
                                return Err(error(
                                    line,
                                    format!(
                                        "&{name}; is not an XML entity (HTML ones such as &nbsp; \
                                         belong inside <![CDATA[ … ]]>)."
                                    ),
                                ))
                            }
                        }
                    }
                };
                if let Some(&at) = open.last() {
                    elements[at].text.push_str(&expanded);
                }
            }
            Event::DocType(_) => return Err(error(
                line,
                "A document type declaration (<!DOCTYPE …>) is not expected in a Moodle XML file.",
            )),
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if let Some(&at) = open.last() {
        let element = &elements[at];
        return Err(error(
            element.line,
            format!(
                "The element <{}> opened on line {} is never closed.",
                element.name, element.line
            ),
        ));
    }
    if elements.is_empty() {
        return Err(error(
            1,
            "The file holds no XML elements: a Moodle XML file is a <quiz> with <question>s.",
        ));
    }
    Ok(Tree { elements })
}

/// Adds an element under the innermost open one; returns its index.
fn element(
    reader: &Reader<&[u8]>,
    start: &BytesStart<'_>,
    line: usize,
    elements: &mut Vec<Element>,
    open: &[usize],
) -> Result<usize, quick_xml::Error> {
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute?;
        attributes.push((
            String::from_utf8_lossy(attribute.key.as_ref()).into_owned(),
            attribute
                .decode_and_unescape_value(reader.decoder())?
                .into_owned(),
        ));
    }
    let at = elements.len();
    elements.push(Element {
        name: String::from_utf8_lossy(start.name().as_ref()).into_owned(),
        attributes,
        text: String::new(),
        children: Vec::new(),
        line,
    });
    if let Some(&parent) = open.last() {
        elements[parent].children.push(at);
    }
    Ok(at)
}
