//! Source files: reading them safely and mapping byte offsets to lines and columns.
//!
//! Everything downstream points at text through a [`Span`]; this module is the only place that
//! knows how a span becomes `path:line:column`.

mod discover;
pub mod yaml;

pub use discover::{MANIFEST, WorkspaceFiles, discover, relative};

use std::path::Path;
use std::sync::Arc;

/// Files larger than this are refused before they are read: no hand-written plan is this big,
/// and reading one would only exhaust memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    /// The empty span at the start of a file, for findings about a file as a whole.
    pub fn file_start(file: FileId) -> Span {
        Span::new(file, 0, 0)
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// A value together with the span of the text it was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

impl Spanned<String> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// A 1-based line and column; columns count characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One file of the workspace as read from disk.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the workspace root, with `/` separators on every platform.
    pub path: String,
    /// The text, without a leading byte-order mark.
    pub text: Arc<str>,
    line_starts: Vec<usize>,
    /// The number of characters (carriage returns left out) before every `MARK_STEP`-th byte,
    /// so that a column on a very long line is found without counting the line from its start.
    char_marks: Vec<usize>,
}

const MARK_STEP: usize = 4096;

/// Whether a byte starts a character that columns count: not a UTF-8 continuation byte and not
/// a carriage return.
fn counts_as_char(byte: u8) -> bool {
    (byte & 0xC0) != 0x80 && byte != b'\r'
}

impl SourceFile {
    pub fn new(path: String, text: impl Into<Arc<str>>) -> SourceFile {
        let text: Arc<str> = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        let mut char_marks = Vec::with_capacity(text.len() / MARK_STEP + 1);
        let mut chars = 0;
        for chunk in text.as_bytes().chunks(MARK_STEP) {
            char_marks.push(chars);
            chars += chunk.iter().filter(|&&b| counts_as_char(b)).count();
        }
        SourceFile {
            path,
            text,
            line_starts,
            char_marks,
        }
    }

    /// Characters (carriage returns left out) before byte `offset`.
    fn chars_before(&self, offset: usize) -> usize {
        let mark = offset / MARK_STEP;
        let counted = self.char_marks.get(mark).copied().unwrap_or(0);
        let from = (mark * MARK_STEP).min(offset);
        counted
            + self.text.as_bytes()[from..offset]
                .iter()
                .filter(|&&b| counts_as_char(b))
                .count()
    }

    pub fn position(&self, offset: u32) -> Position {
        let offset = (offset as usize).min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let column = self.chars_before(offset) - self.chars_before(self.line_starts[line]);
        Position {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The byte range of whole lines around `start..end`, with `before` and `after` lines of
    /// context, and the 0-based number of its first line: what a snippet needs, found through
    /// the line index instead of a scan from the start of the file.
    pub fn window(
        &self,
        start: usize,
        end: usize,
        before: usize,
        after: usize,
    ) -> (std::ops::Range<usize>, usize) {
        let line_of = |offset: usize| {
            self.line_starts
                .partition_point(|&s| s <= offset.min(self.text.len()))
                - 1
        };
        let first = line_of(start).saturating_sub(before);
        let last = line_of(end.max(start)) + after;
        let window_end = self
            .line_starts
            .get(last + 1)
            .copied()
            .unwrap_or(self.text.len());
        (self.line_starts[first]..window_end, first)
    }

    /// The length in bytes of the longest line touched by `start..end`.
    pub fn longest_line(&self, start: usize, end: usize) -> usize {
        let (range, first) = self.window(start, end, 0, 0);
        // Line lengths from the line index, not by reading the lines (they may be megabytes).
        (first..self.line_starts.len())
            .take_while(|&line| self.line_starts[line] < range.end)
            .map(|line| {
                let end = self
                    .line_starts
                    .get(line + 1)
                    .map_or(self.text.len(), |&next| next - 1);
                end.min(range.end) - self.line_starts[line]
            })
            .max()
            .unwrap_or(0)
    }

    /// The text of one 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&next| next - 1);
        self.text[start..end].trim_end_matches('\r')
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }
}

/// All files of one run, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(index, file)| (FileId(index as u32), file))
    }

    pub fn position(&self, span: Span) -> (Position, Position) {
        let file = self.get(span.file);
        (file.position(span.start), file.position(span.end))
    }
}

/// Why a file could not be turned into text.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    TooLarge {
        bytes: u64,
    },
    NotUtf8 {
        valid_up_to: usize,
    },
    /// A directory named like a YAML file.
    NotAFile,
    /// A pipe, socket or device named like a YAML file: never opened, since reading a pipe
    /// could wait forever.
    NotRegular,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(error) => write!(f, "cannot read the file: {error}"),
            ReadError::TooLarge { bytes } => write!(
                f,
                "the file is {bytes} bytes; trailmap reads files up to {MAX_FILE_BYTES} bytes \
                 (split large catalogs over several files)"
            ),
            ReadError::NotUtf8 { valid_up_to } => write!(
                f,
                "the file is not UTF-8 text (invalid byte at offset {valid_up_to})"
            ),
            ReadError::NotAFile => write!(f, "this is a directory, not a YAML file"),
            ReadError::NotRegular => write!(
                f,
                "this is not a regular file (a pipe, socket or device); it was not read"
            ),
        }
    }
}

/// Reads a file as UTF-8 text, refusing oversized or binary files and dropping a leading BOM.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let metadata = std::fs::metadata(path).map_err(ReadError::Io)?;
    if metadata.is_dir() {
        return Err(ReadError::NotAFile);
    }
    if !metadata.is_file() {
        return Err(ReadError::NotRegular);
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            bytes: metadata.len(),
        });
    }
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    let mut text = String::from_utf8(bytes).map_err(|error| ReadError::NotUtf8 {
        valid_up_to: error.utf8_error().valid_up_to(),
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_ignore_carriage_returns() {
        let file = SourceFile::new("a.yaml".into(), "a: 1\r\nnäme: é\n");
        let offset = file.text.find('é').unwrap() as u32;
        assert_eq!(file.position(offset), Position { line: 2, column: 7 });
        assert_eq!(file.line_text(1), "a: 1");
        assert_eq!(file.position(0), Position { line: 1, column: 1 });
    }

    #[test]
    fn positions_and_line_lengths_match_a_plain_count() {
        let text = format!(
            "a: 1\r\n{}\né: {}\r\n\n🛒\n",
            "x".repeat(10_000),
            "ü".repeat(5_000)
        );
        let file = SourceFile::new("a.yaml".into(), text.as_str());
        for (offset, _) in text.char_indices().step_by(7).chain([(text.len(), ' ')]) {
            let line_start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
            let column = text[line_start..offset]
                .chars()
                .filter(|&c| c != '\r')
                .count()
                + 1;
            let line = text[..offset].matches('\n').count() + 1;
            assert_eq!(
                file.position(offset as u32),
                Position { line, column },
                "{offset}"
            );
            let line_end = text[offset..]
                .find('\n')
                .map_or(text.len(), |at| offset + at);
            let expected = text[line_start..line_end].len();
            assert_eq!(file.longest_line(offset, offset), expected, "{offset}");
        }
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bom.yaml");
        std::fs::write(&path, "\u{feff}version: 1\n").unwrap();
        assert_eq!(read_text(&path).unwrap(), "version: 1\n");
    }
}

#[cfg(test)]
mod limit_tests {
    use super::*;

    #[test]
    fn oversized_files_are_refused_before_they_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.yaml");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_FILE_BYTES + 1).unwrap();
        assert!(
            matches!(read_text(&path), Err(ReadError::TooLarge { bytes }) if bytes == MAX_FILE_BYTES + 1)
        );
        assert!(matches!(read_text(dir.path()), Err(ReadError::NotAFile)));
        std::fs::write(&path, b"version: 1\n\xe9\n").unwrap();
        assert!(matches!(
            read_text(&path),
            Err(ReadError::NotUtf8 { valid_up_to: 11 })
        ));
    }
}
