//! `trailmap schema`: the JSON Schema of the input files, for editors.

use std::io::Write;
use std::path::Path;

use super::exit;
use crate::generate::language_schema::{file_name, render};
use crate::model::FileKind;

/// Prints the schema of one kind of file.
pub fn print(kind: FileKind, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    super::print_generated(render(kind).as_bytes(), "schema", out, err)
}

/// Writes the schema of each kind of file into `dir` (created if missing), one file per kind.
pub fn write(dir: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let written = std::fs::create_dir_all(dir).and_then(|()| {
        FileKind::ALL.iter().try_for_each(|&kind| {
            let path = dir.join(file_name(kind));
            std::fs::write(&path, render(kind))?;
            writeln!(out, "wrote {}", path.display())
        })
    });
    match written {
        Ok(()) => exit::CLEAN,
        Err(error) => {
            let _ = writeln!(
                err,
                "error: cannot write the schemas into {}: {error}",
                dir.display()
            );
            exit::FAILURE
        }
    }
}
