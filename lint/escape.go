package lint

import "github.com/strata-settings/strata/settings"

// EscapeName renders a file name, or any text taken from the files linted,
// for an output read one finding a line: control characters and the marks
// that change the layout of text are escaped as values are in every text
// output (settings.EscapeControl: "\n", "\x1b", "\u202e"), so that a name
// cannot forge a second finding or send escape sequences to a terminal.
// Findings' messages are escaped so when they are made; the renderers of
// positions call it for the file name.
func EscapeName(name string) string { return settings.EscapeControl(name) }
