// Package apidoc holds the tests that keep the public API deliberate: every
// exported name of a public package (one outside internal/ and cmd/) has a
// doc comment that starts with its name, no public package exports a
// variable other than an error sentinel, and the list of packages in
// docs/library.md names exactly the public ones. It has no code of its own.
package apidoc
