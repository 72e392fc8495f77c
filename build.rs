//! Embeds the built-in templates of `templates/` into the binary; a workspace's own
//! `templates/` overrides them at run time.
fn main() {
    minijinja_embed::embed_templates!("templates");
}
