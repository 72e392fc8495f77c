//! Event-validation rules (E family): what can be wrong with a captured record.

use crate::diagnostics::{Level, Rule};

pub static MALFORMED_RECORD: Rule = Rule {
    code: "E001",
    name: "malformed-record",
    default_level: Level::Error,
    summary: "A line is not a JSON object with an event name.",
    explanation: "Each line of the input is one record: a JSON object whose event-name key \
(`event` by default, `--event-key` to change it) names an event of the plan. A line that is not \
UTF-8, not JSON, not an object or has no event name is reported on its own; the run goes on with \
the next line.\n",
};

pub static UNPLANNED_EVENT: Rule = Rule {
    code: "E002",
    name: "unplanned-event",
    default_level: Level::Error,
    summary: "A record's event is not in the plan.",
    explanation: "The event name is not defined in the workspace: a typo in the tagging, or an \
event someone added without planning it. Add it to the catalog or fix the tag.\n",
};

pub static MISSING_PROPERTY: Rule = Rule {
    code: "E003",
    name: "missing-property",
    default_level: Level::Error,
    summary: "A required property is missing from a record.",
    explanation: "The plan marks the property `required` for this event; the record does not \
carry it.\n",
};

pub static WRONG_TYPE: Rule = Rule {
    code: "E004",
    name: "wrong-type",
    default_level: Level::Error,
    summary: "A property has the wrong JSON type.",
    explanation: "The value's JSON type differs from the field's type. There is no coercion: \
`\"1\"` is not an integer and `1.5` is not an integer either.\n",
};

pub static VALUE_NOT_ALLOWED: Rule = Rule {
    code: "E005",
    name: "value-not-allowed",
    default_level: Level::Error,
    summary: "A property's value breaks its field's constraints (enum, pattern, format, bounds).",
    explanation: "The value has the right type but is not one of the enum's values, does not \
match the pattern or format (`date-time` needs a valid date and an offset), or is out of the \
field's bounds.\n",
};

pub static UNEXPECTED_PROPERTY: Rule = Rule {
    code: "E006",
    name: "unexpected-property",
    default_level: Level::Error,
    summary: "A record carries a property the event does not have in the plan.",
    explanation: "Events accept only the properties the plan lists (the schemas say \
`additionalProperties: false`): an unplanned property is usually a typo or data that nobody \
reviewed for privacy.\n",
};

pub static RULES: [&Rule; 6] = [
    &MALFORMED_RECORD,
    &UNPLANNED_EVENT,
    &MISSING_PROPERTY,
    &WRONG_TYPE,
    &VALUE_NOT_ALLOWED,
    &UNEXPECTED_PROPERTY,
];
