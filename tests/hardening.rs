//! Hostile inputs and hostile disks (issue 8): each input of the list ends in a clear finding or
//! message, never a panic, a hang or an abort, and no failure of `build` loses the previous
//! output. One test per item of the list, named after it.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;

mod common;
use common::{base_workspace, example_workspace};
use trailmap::commands::analyze;
use trailmap::generate::{self, GROUPS, catalog, output};

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

fn trailmap(args: &[&str], dir: &Path) -> Run {
    let started = Instant::now();
    let output = Command::cargo_bin("trailmap")
        .unwrap()
        .args(args)
        .arg(dir)
        .env_remove("RUST_BACKTRACE")
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let run = Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).to_string(),
        stderr: String::from_utf8_lossy(&output.stderr).to_string(),
        took: started.elapsed(),
    };
    assert!(
        !run.stderr.contains("internal error") && !run.stderr.contains("panicked"),
        "{}",
        run.stderr
    );
    run
}

/// `trailmap check DIR`: must end in findings (exit 1) and mention every `expected` text.
fn check_finds(dir: &Path, expected: &[&str]) -> Run {
    let run = trailmap(&["check"], dir);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    for text in expected {
        assert!(
            run.stdout.contains(text),
            "`{text}` not in:\n{}",
            run.stdout
        );
    }
    run
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

#[test]
fn empty_files() {
    let dir = base_workspace();
    fs::write(dir.path().join("catalog/empty.yaml"), "").unwrap();
    fs::write(
        dir.path().join("catalog/blank.yaml"),
        "\n   \n# only a comment\n",
    )
    .unwrap();
    let run = check_finds(
        dir.path(),
        &["catalog/empty.yaml", "catalog/blank.yaml", "S007"],
    );
    assert!(!run.stdout.contains("R00"), "{}", run.stdout);

    // An empty manifest is still a workspace, with its own finding.
    fs::write(dir.path().join("trailmap.yaml"), "").unwrap();
    check_finds(dir.path(), &["trailmap.yaml"]);
}

#[test]
fn a_file_that_is_a_yaml_list_or_a_scalar() {
    let dir = base_workspace();
    fs::write(
        dir.path().join("catalog/list.yaml"),
        "- version: 1\n- teams: {}\n",
    )
    .unwrap();
    fs::write(dir.path().join("catalog/scalar.yaml"), "just some text\n").unwrap();
    fs::write(dir.path().join("journeys/number.yaml"), "42\n").unwrap();
    check_finds(
        dir.path(),
        &[
            "catalog/list.yaml:1:1",
            "catalog/scalar.yaml:1:1",
            "journeys/number.yaml:1:1",
        ],
    );
}

#[test]
fn binary_files() {
    let dir = base_workspace();
    // A PNG header: not UTF-8.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..=255u8).cycle().take(4096));
    fs::write(dir.path().join("catalog/logo.yaml"), png).unwrap();
    // NUL and control bytes are valid UTF-8, but not YAML.
    fs::write(
        dir.path().join("catalog/nul.yaml"),
        b"version: 1\nteams:\0\x01\x02\x7f\n  x: \x1b[31m\n",
    )
    .unwrap();
    check_finds(
        dir.path(),
        &[
            "catalog/logo.yaml",
            "not UTF-8",
            "catalog/nul.yaml:2:",
            "S001",
        ],
    );
}

#[test]
fn invalid_utf8() {
    let dir = base_workspace();
    fs::write(
        dir.path().join("catalog/latin1.yaml"),
        b"version: 1\nteams:\n  caf\xe9: {name: Caf\xe9, contact: c@x}\n",
    )
    .unwrap();
    check_finds(
        dir.path(),
        &[
            "catalog/latin1.yaml",
            "the file is not UTF-8 text (invalid byte at offset 23)",
        ],
    );
}

#[test]
fn a_50_mb_file() {
    let dir = base_workspace();
    let line = "# a comment line of a generated catalog, sixty-four bytes long.\n";
    let text = line.repeat(50 * 1024 * 1024 / line.len());
    fs::write(dir.path().join("catalog/huge.yaml"), text).unwrap();
    let run = check_finds(
        dir.path(),
        &["catalog/huge.yaml", "the file is 52428800 bytes", "S009"],
    );
    assert!(run.took < Duration::from_secs(30), "{:?}", run.took);
}

#[test]
fn a_symlink_loop_in_catalog() {
    let dir = base_workspace();
    let nested = dir.path().join("catalog/nested");
    fs::create_dir_all(&nested).unwrap();
    std::os::unix::fs::symlink("..", nested.join("up")).unwrap();
    std::os::unix::fs::symlink("self.yaml", dir.path().join("catalog/self.yaml")).unwrap();
    let run = check_finds(
        dir.path(),
        &[
            "catalog/nested/up",
            "loops back to one of its parent folders",
        ],
    );
    assert!(run.took < Duration::from_secs(30), "{:?}", run.took);
    assert!(run.stdout.contains("catalog/self.yaml"), "{}", run.stdout);
}

#[test]
fn a_directory_named_like_a_yaml_file() {
    let dir = base_workspace();
    fs::create_dir_all(dir.path().join("catalog/archive.yaml/old")).unwrap();
    fs::create_dir_all(dir.path().join("journeys/drafts.yml")).unwrap();
    // The rest of the workspace is still checked: the unknown team is found.
    let teams = dir.path().join("catalog/touchpoints.yaml");
    let text = fs::read_to_string(&teams).unwrap();
    fs::write(&teams, text.replace("owner: ecommerce", "owner: ecomerce")).unwrap();
    check_finds(
        dir.path(),
        &[
            "catalog/archive.yaml",
            "journeys/drafts.yml",
            "this is a directory, not a YAML file",
            "unknown team `ecomerce`",
        ],
    );
}

#[test]
fn unreadable_files_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = base_workspace();
    let secret = dir.path().join("catalog/secret.yaml");
    fs::write(&secret, "version: 1\n").unwrap();
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    let locked = dir.path().join("journeys/locked");
    fs::create_dir_all(&locked).unwrap();
    fs::write(locked.join("j.yaml"), "version: 1\n").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    // What no permission bit can fix: a link to nothing and a pipe (reading it would wait
    // forever).
    std::os::unix::fs::symlink("gone.yaml", dir.path().join("catalog/dangling.yaml")).unwrap();
    let fifo = std::ffi::CString::new(
        dir.path()
            .join("catalog/pipe.yaml")
            .to_str()
            .unwrap()
            .as_bytes(),
    )
    .unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);

    let mut expected = vec![
        "catalog/dangling.yaml",
        "catalog/pipe.yaml",
        "not a regular file",
    ];
    // Root reads everything: the permission cases only fail for other users.
    if !is_root() {
        expected.extend([
            "catalog/secret.yaml",
            "Permission denied",
            "journeys/locked",
        ]);
    }
    let run = check_finds(dir.path(), &expected);
    assert!(run.took < Duration::from_secs(30), "{:?}", run.took);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn names_with_emoji_rtl_text_and_combining_marks() {
    let dir = base_workspace();
    fs::write(
        dir.path().join("catalog/unicode.yaml"),
        "version: 1\nteams:\n  \"🛒_team\": {name: \"Cart 🛒\", contact: a@x}\n  فريق_المتجر: {name: \"فريق المتجر\", contact: b@x}\n  cafe\u{301}_ops: {name: \"Cafe\u{301} \u{202e}reversed\u{202c}\", contact: c@x}\n",
    )
    .unwrap();
    let run = check_finds(
        dir.path(),
        &[
            "N005",
            "catalog/unicode.yaml:3:4",
            "catalog/unicode.yaml:4:3",
            "catalog/unicode.yaml:5:3",
            "a combining mark (U+0301)",
        ],
    );
    // Text (names, descriptions) may hold any of it: only the ids are reported.
    assert_eq!(run.stdout.matches("N005(").count(), 3, "{}", run.stdout);
}

#[test]
fn extremely_long_lines() {
    let dir = base_workspace();
    // A 1.3 MB catalog on one line (minified), with a mistake at its very end.
    let entries: Vec<String> = (0..30_000)
        .map(|i| format!("f_{i}: {{type: string, classification: public}}"))
        .collect();
    let line = format!(
        "version: 1\nfields: {{{}, last: {{type: strnig}}}}\n",
        entries.join(", ")
    );
    assert!(line.len() > 1_200_000);
    fs::write(dir.path().join("catalog/minified.yaml"), &line).unwrap();
    // Every field is also unused: 30 001 findings on that one line, each with its column.
    let second_line = line.lines().nth(1).unwrap();
    let column = second_line.find("strnig").unwrap() + 1;
    let run = check_finds(
        dir.path(),
        &[
            &format!("(catalog/minified.yaml:2:{column})"),
            "did you mean `string`?",
        ],
    );
    assert_eq!(run.stdout.matches("R003(").count(), 30_001);
    assert!(run.took < Duration::from_secs(60), "{:?}", run.took);
}

#[test]
fn one_hundred_thousand_ids_in_one_map() {
    let dir = base_workspace();
    fs::write(
        dir.path().join("trailmap.yaml"),
        "version: 1\nname: big\nrules: {unused-definition: off}\n",
    )
    .unwrap();
    let mut text = String::from("version: 1\nfields:\n");
    for i in 0..100_000 {
        text.push_str(&format!(
            "  field_{i}: {{type: string, classification: public}}\n"
        ));
    }
    // One pair that collides once separators are ignored, among all of them.
    text.push_str("  field1_0: {type: string, classification: public}\n");
    fs::write(dir.path().join("catalog/many.yaml"), text).unwrap();
    let run = check_finds(dir.path(), &["N004", "field1_0"]);
    assert_eq!(run.stdout.matches("N004(").count(), 1, "{}", run.stdout);
    assert!(run.took < Duration::from_secs(60), "{:?}", run.took);
}

/// The example's build, rendered in memory, for the tests that write it through a failing
/// writer.
fn example_outputs(workspace: &Path) -> output::Outputs {
    let analysis = analyze(workspace).unwrap();
    let compiled = catalog::compile(&analysis.plan);
    generate::render(&analysis.plan, &compiled, GROUPS, &[]).unwrap()
}

fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Names in `dir` other than `keep`: leftovers of a failed build.
fn leftovers(dir: &Path, keep: &str) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|name| name != keep)
        .collect()
}

/// A tmpfs of `size` mounted on a new folder, when this process may mount (root); unmounted
/// when dropped.
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        status.success().then_some(Tmpfs(dir))
    }

    fn remount(&self, options: &str) {
        let status = std::process::Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(self.0.path())
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.0.path())
            .status();
    }
}

#[test]
fn build_on_a_read_only_output_directory_keeps_the_previous_build() {
    use std::os::unix::fs::PermissionsExt;
    let workspace = example_workspace();
    // The output folder's parent is made read-only: by permissions for a normal user, by a
    // read-only mount for root (who ignores permissions).
    let mount = if is_root() { Tmpfs::mount("16m") } else { None };
    let parent = if is_root() {
        let Some(mount) = &mount else {
            eprintln!("skipped: running as root without permission to mount a tmpfs");
            return;
        };
        mount.0.path().to_path_buf()
    } else {
        let dir = workspace.path().join("site");
        fs::create_dir_all(&dir).unwrap();
        dir
    };
    let out = parent.join("dist");
    let out_arg = out.to_str().unwrap();
    let first = trailmap(&["build", "--out", out_arg], workspace.path());
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let before = tree(&out);
    if is_root() {
        mount.as_ref().unwrap().remount("ro");
    } else {
        fs::set_permissions(&parent, fs::Permissions::from_mode(0o555)).unwrap();
        fs::set_permissions(&out, fs::Permissions::from_mode(0o555)).unwrap();
    }
    let run = trailmap(&["build", "--out", out_arg], workspace.path());
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error: cannot write"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&out), before);
    if !is_root() {
        fs::set_permissions(&parent, fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(&out, fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn build_on_a_full_disk_keeps_the_previous_build() {
    let workspace = example_workspace();
    let outputs = example_outputs(workspace.path());
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("dist");
    output::write(&out, workspace.path(), &outputs).unwrap();
    let before = tree(&out);

    // The disk fills up after a few files (an injected writer error).
    let written = std::cell::Cell::new(0);
    let full = |path: &Path, content: &[u8]| {
        written.set(written.get() + 1);
        if written.get() > 5 {
            return Err(std::io::Error::from_raw_os_error(libc::ENOSPC));
        }
        fs::write(path, content)
    };
    let error = output::write_with(&out, workspace.path(), &outputs, &full).unwrap_err();
    assert!(
        error.to_string().contains("No space left on device"),
        "{error}"
    );
    assert_eq!(tree(&out), before);
    assert_eq!(leftovers(site.path(), "dist"), Vec::<String>::new());

    // And a real full disk, where this process may mount one: room for one build and a
    // quarter, not two (tmpfs holds each file in whole 4 KiB pages).
    let measured = tempfile::tempdir().unwrap();
    let measured_out = measured.path().join("dist");
    let sized = trailmap(
        &["build", "--out", measured_out.to_str().unwrap()],
        workspace.path(),
    );
    assert_eq!(sized.code, Some(0), "{}", sized.stderr);
    let one_build: usize = tree(&measured_out)
        .iter()
        .map(|(_, content)| content.len().div_ceil(4096) * 4096)
        .sum();
    let Some(disk) = Tmpfs::mount(&format!("{}k", one_build * 5 / 4 / 1024)) else {
        return;
    };
    let out = disk.0.path().join("dist");
    let out_arg = out.to_str().unwrap();
    let first = trailmap(&["build", "--out", out_arg], workspace.path());
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let before = tree(&out);
    let run = trailmap(&["build", "--out", out_arg], workspace.path());
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("No space left on device"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&out), before);
    assert_eq!(leftovers(disk.0.path(), "dist"), Vec::<String>::new());
}

#[test]
fn an_interrupted_build_keeps_the_previous_build() {
    let workspace = example_workspace();
    let outputs = example_outputs(workspace.path());
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("dist");
    output::write(&out, workspace.path(), &outputs).unwrap();
    let before = tree(&out);

    // Interrupted while staging (the writer never returns).
    let written = std::cell::Cell::new(0);
    let interrupted = |path: &Path, content: &[u8]| {
        written.set(written.get() + 1);
        if written.get() > 5 {
            panic!("interrupted");
        }
        fs::write(path, content)
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        output::write_with(&out, workspace.path(), &outputs, &interrupted)
    }));
    assert!(result.is_err());
    assert_eq!(tree(&out), before);
    assert_eq!(leftovers(site.path(), "dist"), Vec::<String>::new());

    // Killed between the two renames of the swap: the previous build was moved aside and the
    // new one not yet moved in. The next build puts things right and cleans up.
    let aside = site.path().join(".dist.trailmap-old-4000000000");
    fs::rename(&out, &aside).unwrap();
    fs::create_dir_all(site.path().join(".dist.trailmap-new-4000000001/docs")).unwrap();
    let run = trailmap(&["build", "--out", out.to_str().unwrap()], workspace.path());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(tree(&out), before);
    assert_eq!(leftovers(site.path(), "dist"), Vec::<String>::new());
}

#[test]
fn build_out_at_the_workspace_root_or_a_folder_with_foreign_files_is_refused() {
    let workspace = example_workspace();
    let root = workspace.path().to_str().unwrap().to_string();
    for out in [
        root.clone(),
        format!("{root}/.."),
        format!("{root}/catalog"),
    ] {
        let run = trailmap(&["build", "--out", &out], workspace.path());
        assert_eq!(run.code, Some(2), "{out}: {}", run.stderr);
        assert!(
            run.stderr.contains("it is or contains the workspace")
                || run.stderr.contains("holds files trailmap did not write"),
            "{out}: {}",
            run.stderr
        );
    }
    let foreign = workspace.path().join("public");
    fs::create_dir_all(&foreign).unwrap();
    fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let run = trailmap(
        &["build", "--out", foreign.to_str().unwrap()],
        workspace.path(),
    );
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr
            .contains("holds files trailmap did not write (notes.txt)")
    );
    assert_eq!(
        fs::read_to_string(foreign.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn an_internal_error_exits_2_with_a_message_and_a_backtrace_only_when_asked() {
    let dir = base_workspace();
    let run = |backtrace: Option<&str>| {
        let mut command = Command::cargo_bin("trailmap").unwrap();
        command
            .arg("check")
            .arg(dir.path())
            .env("TRAILMAP_TEST_INTERNAL_ERROR", "1")
            .env_remove("RUST_BACKTRACE");
        if let Some(value) = backtrace {
            command.env("RUST_BACKTRACE", value);
        }
        let output = command.output().unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).to_string(),
        )
    };
    for quiet in [None, Some("0")] {
        let (code, stderr) = run(quiet);
        assert_eq!(code, Some(2));
        assert!(
            stderr.starts_with("error: internal error in trailmap"),
            "{stderr}"
        );
        assert!(stderr.contains("please report it"), "{stderr}");
        assert!(!stderr.contains("stack backtrace"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    let (code, stderr) = run(Some("1"));
    assert_eq!(code, Some(2));
    assert!(stderr.contains("stack backtrace"), "{stderr}");
}
