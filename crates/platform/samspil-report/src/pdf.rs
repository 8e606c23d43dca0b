//! A document of headings, paragraphs, lists and tables as a tagged,
//! accessible PDF (PDF/UA-1), written with krilla.
//!
//! The pages are laid out here (A4, one column, words wrapped by the width
//! the font gives them) and every line of text is tagged into the structure
//! its block gives it (`H1`–`H3`, `P`, `L`/`LI`, `Table`/`TR`/`TH`/`TD`), so
//! a screen reader reads the file in the order it was written and a table
//! as a table. The font is DejaVu Sans, embedded (only the glyphs used), so
//! Danish letters render in every reader.
//!
//! ```
//! use samspil_report::{PdfBlock, PdfDocument, to_pdf};
//!
//! let doc = PdfDocument {
//!     title: "Etabler brugeradministration på KLIK".into(),
//!     language: "da".into(),
//!     blocks: vec![PdfBlock::Paragraph("Status: Påbegyndt".into())],
//! };
//! let pdf = to_pdf(&doc)?;
//! assert!(pdf.starts_with(b"%PDF-"));
//! # Ok::<(), samspil_report::ReportError>(())
//! ```

use std::num::NonZeroU16;

use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::surface::Surface;
use krilla::tagging::{
    ContentTag, Identifier, ListNumbering, Node, SpanTag, TableHeaderScope, Tag, TagGroup, TagKind,
    TagTree,
};
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

use crate::ReportError;

/// The `Content-Type` of [`to_pdf`]'s output.
pub const PDF_CONTENT_TYPE: &str = "application/pdf";

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// A document to write: its title (the PDF's title and its first heading),
/// its language (`da`, `en`) and its blocks in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfDocument {
    pub title: String,
    pub language: String,
    pub blocks: Vec<PdfBlock>,
}

/// One block of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum PdfBlock {
    /// A heading of level 2 or 3 (the title is level 1).
    Heading { level: u8, text: String },
    /// A paragraph; a line break in the text starts a new line.
    Paragraph(String),
    /// A bulleted list.
    List(Vec<String>),
    /// Pairs of a label and a value, as a table whose rows are headed by
    /// their label.
    Facts(Vec<(String, String)>),
    /// A table with a header row.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const BODY_SIZE: f32 = 10.0;
const CELL_GAP: f32 = 8.0;

/// The document as a tagged PDF/UA-1 file.
pub fn to_pdf(doc: &PdfDocument) -> Result<Vec<u8>, ReportError> {
    let fonts = Fonts::load()?;
    // PDF/UA wants a title; a document without one is called by a dash.
    let title = match doc.title.trim() {
        "" => "–".to_owned(),
        t => t.to_owned(),
    };
    let mut layout = Layout::new(&fonts);
    let mut root: Vec<Group> = vec![layout.heading(1, &title)];
    for block in &doc.blocks {
        root.push(layout.block(block));
    }
    let (pages, headings) = layout.finish();

    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| ReportError::Pdf(format!("{e:?}")))?;
    let settings = SerializeSettings {
        enable_tagging: true,
        configuration,
        ..SerializeSettings::default()
    };
    let mut document = Document::new_with(settings);
    let mut ids: Vec<Option<Identifier>> = Vec::new();
    for lines in pages {
        let mut page = document.start_page_with(
            PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).expect("A4 has a positive size"),
        );
        let mut surface = page.surface();
        for line in lines {
            ids.resize(ids.len().max(line.id + 1), None);
            ids[line.id] = Some(draw(&mut surface, &fonts, &line));
        }
        surface.finish();
        page.finish();
    }
    let mut tree = TagTree::new().with_lang(Some(doc.language.clone()));
    for group in root {
        if let Some(node) = group.into_node(&mut ids) {
            tree.push(node);
        }
    }
    document.set_tag_tree(tree);
    document.set_outline(outline(headings));
    document.set_metadata(
        Metadata::new()
            .title(title)
            .language(doc.language.clone())
            .creator("samspil".to_owned()),
    );
    document
        .finish()
        .map_err(|e| ReportError::Pdf(format!("{e:?}")))
}

/// The bookmarks: every heading, those of level 3 under the level 2 before
/// them (PDF/UA asks for an outline).
fn outline(headings: Vec<Heading>) -> Outline {
    let mut top: Vec<(OutlineNode, bool)> = Vec::new();
    for h in headings {
        let node = OutlineNode::new(
            h.text,
            XyzDestination::new(h.page, Point::from_xy(MARGIN, h.y)),
        );
        match top.last_mut() {
            Some((parent, true)) if h.level > 2 => parent.push_child(node),
            _ => top.push((node, h.level == 2)),
        }
    }
    let mut outline = Outline::new();
    for (node, _) in top {
        outline.push_child(node);
    }
    outline
}

fn draw(surface: &mut Surface<'_>, fonts: &Fonts, line: &Placed) -> Identifier {
    let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
    let font = match line.bold {
        true => fonts.bold.clone(),
        false => fonts.regular.clone(),
    };
    surface.draw_text(
        Point::from_xy(line.x, line.y),
        font,
        line.size,
        &line.text,
        false,
        TextDirection::Auto,
    );
    surface.end_tagged();
    id
}

struct Fonts {
    regular: Font,
    bold: Font,
}

impl Fonts {
    fn load() -> Result<Self, ReportError> {
        let font = |data: &'static [u8]| {
            Font::new(data.into(), 0).ok_or_else(|| ReportError::Pdf("the font".to_owned()))
        };
        Ok(Fonts {
            regular: font(REGULAR)?,
            bold: font(BOLD)?,
        })
    }
}

/// How wide a text is in a font at a size, in points.
fn text_width(data: &'static [u8], size: f32, text: &str) -> f32 {
    let Ok(font) = skrifa::FontRef::new(data) else {
        return 0.0;
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .unwrap_or(size * 0.6)
        })
        .sum()
}

/// A line of text placed on a page; `id` is its place in the structure.
struct Placed {
    id: usize,
    x: f32,
    y: f32,
    size: f32,
    bold: bool,
    text: String,
}

/// A structure element and what it holds: other elements or lines.
struct Group {
    kind: TagKind,
    children: Vec<Child>,
}

enum Child {
    Group(Group),
    Line(usize),
}

impl Group {
    fn new(kind: impl Into<TagKind>) -> Self {
        Group {
            kind: kind.into(),
            children: Vec::new(),
        }
    }

    /// The tag group, with each line's identifier taken once; an element
    /// left without content is dropped (krilla discards empty groups too).
    fn into_node(self, ids: &mut [Option<Identifier>]) -> Option<Node> {
        let mut group = TagGroup::new(self.kind);
        for child in self.children {
            match child {
                Child::Group(g) => {
                    if let Some(node) = g.into_node(ids) {
                        group.push(node);
                    }
                }
                Child::Line(i) => {
                    if let Some(id) = ids.get_mut(i).and_then(Option::take) {
                        group.push(id);
                    }
                }
            }
        }
        (!group.children.is_empty()).then(|| group.into())
    }
}

/// Where a heading is, for the bookmarks.
struct Heading {
    level: u8,
    text: String,
    page: usize,
    y: f32,
}

struct Layout<'f> {
    _fonts: &'f Fonts,
    pages: Vec<Vec<Placed>>,
    headings: Vec<Heading>,
    y: f32,
    next_id: usize,
}

impl<'f> Layout<'f> {
    fn new(fonts: &'f Fonts) -> Self {
        Layout {
            _fonts: fonts,
            pages: vec![Vec::new()],
            headings: Vec::new(),
            y: MARGIN,
            next_id: 0,
        }
    }

    fn finish(self) -> (Vec<Vec<Placed>>, Vec<Heading>) {
        (self.pages, self.headings)
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Makes room for `height` points, on a new page if this one is full.
    fn reserve(&mut self, height: f32) {
        if self.y + height > PAGE_HEIGHT - MARGIN && self.y > MARGIN {
            self.new_page();
        }
    }

    fn place(&mut self, x: f32, baseline: f32, size: f32, bold: bool, text: String) -> usize {
        let id = self.next_id;
        self.next_id += 1;
        if let Some(page) = self.pages.last_mut() {
            page.push(Placed {
                id,
                x,
                y: baseline,
                size,
                bold,
                text,
            });
        }
        id
    }

    /// Lines of text from the top, wrapped to `width`, as children of `into`.
    fn text_lines(&mut self, into: &mut Group, text: &str, size: f32, bold: bool, x: f32) {
        let line_height = size * 1.4;
        let width = PAGE_WIDTH - MARGIN - x;
        for line in wrap(text, size, bold, width) {
            self.reserve(line_height);
            let baseline = self.y + size;
            let id = self.place(x, baseline, size, bold, line);
            into.children.push(Child::Line(id));
            self.y += line_height;
        }
    }

    fn heading(&mut self, level: u8, text: &str) -> Group {
        let size = match level {
            1 => 18.0,
            2 => 14.0,
            _ => 12.0,
        };
        let level = NonZeroU16::new(level.clamp(1, 6).into()).unwrap_or(NonZeroU16::MIN);
        let mut group = Group::new(Tag::Hn(level, Some(text.to_owned())));
        // A heading is never left alone at the foot of a page.
        self.reserve(size * 1.4 + 3.0 * BODY_SIZE * 1.4);
        self.y += size * 0.6;
        self.headings.push(Heading {
            level: level.get() as u8,
            text: text.to_owned(),
            page: self.pages.len() - 1,
            y: self.y,
        });
        self.text_lines(&mut group, text, size, true, MARGIN);
        self.y += size * 0.3;
        group
    }

    fn block(&mut self, block: &PdfBlock) -> Group {
        match block {
            PdfBlock::Heading { level, text } => self.heading((*level).max(2), text),
            PdfBlock::Paragraph(text) => {
                let mut group = Group::new(Tag::P);
                self.text_lines(&mut group, text, BODY_SIZE, false, MARGIN);
                self.y += BODY_SIZE * 0.6;
                group
            }
            PdfBlock::List(items) => {
                let mut list = Group::new(Tag::L(ListNumbering::Disc));
                for item in items {
                    let mut li = Group::new(Tag::LI);
                    self.reserve(BODY_SIZE * 1.4);
                    let mut label = Group::new(Tag::Lbl);
                    let bullet =
                        self.place(MARGIN, self.y + BODY_SIZE, BODY_SIZE, false, "•".into());
                    label.children.push(Child::Line(bullet));
                    let mut body = Group::new(Tag::LBody);
                    self.text_lines(&mut body, item, BODY_SIZE, false, MARGIN + 12.0);
                    li.children.push(Child::Group(label));
                    li.children.push(Child::Group(body));
                    list.children.push(Child::Group(li));
                }
                self.y += BODY_SIZE * 0.6;
                list
            }
            PdfBlock::Facts(pairs) => {
                let rows: Vec<Vec<String>> = pairs
                    .iter()
                    .map(|(label, value)| vec![label.clone(), value.clone()])
                    .collect();
                self.table(None, &rows, &[0.3, 0.7])
            }
            PdfBlock::Table { header, rows } => {
                let columns = header.len().max(1);
                let shares = vec![1.0 / columns as f32; columns];
                self.table(Some(header), rows, &shares)
            }
        }
    }

    /// A table: with a header row, its columns are headed; without one,
    /// its first column heads each row.
    fn table(
        &mut self,
        header: Option<&Vec<String>>,
        rows: &[Vec<String>],
        shares: &[f32],
    ) -> Group {
        let width = PAGE_WIDTH - 2.0 * MARGIN;
        let mut lefts = Vec::with_capacity(shares.len());
        let mut x = MARGIN;
        for share in shares {
            lefts.push(x);
            x += share * width;
        }
        let mut table = Group::new(Tag::Table);
        if let Some(header) = header {
            let mut head = Group::new(Tag::THead);
            let row = self.table_row(header, &lefts, shares, width, |_| true);
            head.children.push(Child::Group(row));
            table.children.push(Child::Group(head));
        }
        let mut body = Group::new(Tag::TBody);
        for cells in rows {
            let row = self.table_row(cells, &lefts, shares, width, |column| {
                header.is_none() && column == 0
            });
            body.children.push(Child::Group(row));
        }
        table.children.push(Child::Group(body));
        self.y += BODY_SIZE * 0.6;
        table
    }

    fn table_row(
        &mut self,
        cells: &[String],
        lefts: &[f32],
        shares: &[f32],
        width: f32,
        is_header: impl Fn(usize) -> bool,
    ) -> Group {
        let line_height = BODY_SIZE * 1.4;
        let wrapped: Vec<(bool, Vec<String>)> = lefts
            .iter()
            .enumerate()
            .map(|(column, _)| {
                let text = cells.get(column).map(String::as_str).unwrap_or("");
                let text = if text.trim().is_empty() { "–" } else { text };
                let bold = is_header(column);
                let cell_width = shares[column] * width - CELL_GAP;
                (bold, wrap(text, BODY_SIZE, bold, cell_width))
            })
            .collect();
        let height = wrapped.iter().map(|(_, l)| l.len()).max().unwrap_or(1) as f32 * line_height;
        // A row is kept on one page unless it is taller than a page.
        self.reserve(height.min(PAGE_HEIGHT - 2.0 * MARGIN));
        let top = self.y;
        let mut row = Group::new(Tag::TR);
        let mut bottom = top;
        for (column, (bold, lines)) in wrapped.into_iter().enumerate() {
            let mut cell = match bold {
                true if header_row(&is_header, lefts.len()) => {
                    Group::new(Tag::TH(TableHeaderScope::Column))
                }
                true => Group::new(Tag::TH(TableHeaderScope::Row)),
                false => Group::new(Tag::TD),
            };
            self.y = top;
            for line in lines {
                self.reserve(line_height);
                let id = self.place(lefts[column], self.y + BODY_SIZE, BODY_SIZE, bold, line);
                cell.children.push(Child::Line(id));
                self.y += line_height;
            }
            bottom = bottom.max(self.y);
            row.children.push(Child::Group(cell));
        }
        self.y = bottom + 2.0;
        row
    }
}

/// A row whose every cell is a header is the table's header row.
fn header_row(is_header: &impl Fn(usize) -> bool, columns: usize) -> bool {
    (0..columns).all(is_header)
}

/// The text broken into lines no wider than `width`: at spaces, a word
/// longer than a line at any character, and at every line break.
fn wrap(text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
    let data = if bold { BOLD } else { REGULAR };
    let measure = |s: &str| text_width(data, size, s);
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = match line.is_empty() {
                true => word.to_owned(),
                false => format!("{line} {word}"),
            };
            if measure(&candidate) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                // The space stays at the line's end, so that text read
                // back (and a screen reader) keeps the words apart.
                line.push(' ');
                lines.push(std::mem::take(&mut line));
            }
            // The word alone, broken where it must be.
            for c in word.chars() {
                line.push(c);
                if measure(&line) > width && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    if lines.is_empty() {
        lines.push("–".to_owned());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(pdf: &[u8]) -> String {
        pdf_extract::extract_text_from_mem(pdf).expect("the PDF reads back")
    }

    #[test]
    fn danish_text_reads_back_from_every_kind_of_block() {
        let doc = PdfDocument {
            title: "Etabler brugeradministration på KLIK".into(),
            language: "da".into(),
            blocks: vec![
                PdfBlock::Facts(vec![("Frist".into(), "1. december 2026".into())]),
                PdfBlock::Heading {
                    level: 2,
                    text: "Svar".into(),
                },
                PdfBlock::Paragraph("Ærø, Høje-Taastrup og Åbenrå svarer ja.".into()),
                PdfBlock::List(vec!["plan.pdf (12 KB)".into()]),
                PdfBlock::Table {
                    header: vec!["Hvornår".into(), "Fra".into(), "Til".into()],
                    rows: vec![vec![
                        "01.12.2026".into(),
                        "Ikke påbegyndt".into(),
                        "".into(),
                    ]],
                },
            ],
        };
        let pdf = to_pdf(&doc).expect("a PDF");
        let text = text_of(&pdf);
        for expected in [
            "Etabler brugeradministration på KLIK",
            "1. december 2026",
            "Ærø, Høje-Taastrup og Åbenrå svarer ja.",
            "plan.pdf (12 KB)",
            "Ikke påbegyndt",
        ] {
            assert!(text.contains(expected), "{expected:?} not in {text:?}");
        }
        // Tagged, with its language and title.
        let raw = String::from_utf8_lossy(&pdf);
        assert!(raw.contains("/StructTreeRoot"), "tagged");
        assert!(raw.contains("pdfuaid"), "declares PDF/UA");
    }

    #[test]
    fn a_long_text_wraps_and_flows_onto_more_pages() {
        let long = "Kommunen skal sikre, at rollen er besat. ".repeat(400);
        let word = "x".repeat(500);
        let doc = PdfDocument {
            title: "Lang".into(),
            language: "da".into(),
            blocks: vec![
                PdfBlock::Paragraph(long),
                PdfBlock::Paragraph(word),
                PdfBlock::Table {
                    header: vec!["A".into()],
                    rows: vec![vec!["y ".repeat(3000)]],
                },
            ],
        };
        let pdf = to_pdf(&doc).expect("a PDF");
        let pages = pdf_extract::extract_text_from_mem_by_pages(&pdf).expect("pages");
        assert!(pages.len() > 3, "{} pages", pages.len());
        assert!(pages[0].contains("Kommunen skal sikre"));
        let text = pages.concat();
        assert!(text.contains(&"x".repeat(50)), "the long word is all there");
        let lines = wrap(&"ord ".repeat(200), BODY_SIZE, false, 200.0);
        assert!(lines.len() > 5);
        for line in &lines {
            assert!(
                text_width(REGULAR, BODY_SIZE, line.trim_end()) <= 200.0,
                "{line}"
            );
        }
        assert_eq!(
            lines.concat().trim_end(),
            "ord ".repeat(200).trim_end(),
            "no word lost"
        );
    }

    #[test]
    fn an_empty_document_is_still_a_pdf() {
        let pdf = to_pdf(&PdfDocument {
            title: String::new(),
            language: "en".into(),
            blocks: vec![PdfBlock::List(vec![]), PdfBlock::Facts(vec![])],
        })
        .expect("a PDF without a title or content");
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
