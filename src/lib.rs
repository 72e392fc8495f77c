//! trailmap: a compiler for customer-journey maps and analytics data governance.
//!
//! Data flows one way: [`source`] (files, spans, YAML) → [`model`] (typed items) → [`plan`]
//! (resolved ids, journey graphs) → [`rules`] → [`diagnostics`]. [`commands`] wires the stages
//! together for the command line.

pub mod commands;
pub mod diagnostics;
pub mod diff;
pub mod events;
pub mod generate;
pub mod import;
pub mod model;
pub mod plan;
pub mod rules;
pub mod source;
