// Package diag holds the one shape of everything Strata reports about
// settings: an error of the engine (settings.Error), a warning, a lint
// finding (lint.Finding). A Diagnostic has a severity, a message, the span
// it concerns (a sources.Position with its end), the places related to it
// (the key that overrode this one, the earlier definition) and the edits
// that would fix it.
//
// String is the one text rendering, shared by the command's errors and
// lint's findings:
//
//	file:line:col: severity: message
//	file:line:col: severity: message [rule]
//	env NAME: severity: message
//	severity: message
//
// Control characters in the file name, the variable name and the message
// are escaped (Escape), so that no diagnostic can forge another line or
// reach the terminal as an escape sequence.
package diag
