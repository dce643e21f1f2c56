package main

import (
	"slices"
	"strings"
	"testing"
)

// TestFlagsParse pins how flags mix with arguments: before or after them,
// with values in the next word or after "=", and "--" ending the flags.
func TestFlagsParse(t *testing.T) {
	tests := []struct {
		args    []string
		want    []string
		from    string
		yes     bool
		profile string
		err     string
	}{
		{args: []string{"a", "--from", "x", "b"}, want: []string{"a", "b"}, from: "x"},
		{args: []string{"--yes", "a", "-p", "dev"}, want: []string{"a"}, yes: true, profile: "dev"},
		{args: []string{"a", "--from=x", "--", "-y", "--from", "z"}, want: []string{"a", "-y", "--from", "z"}, from: "x"},
		{args: []string{"--from", "--", "a", "-y"}, want: []string{"a"}, from: "--", yes: true},
		{args: []string{"-", "a"}, want: []string{"-", "a"}},
		{args: []string{"a", "--from"}, err: "flag needs an argument: -from"},
		{args: []string{"a", "--nope"}, err: "flag provided but not defined: -nope"},
		{args: []string{"--yes=maybe"}, err: `invalid boolean value "maybe" for -yes`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			c := &cli{}
			f := newFlags("strata test")
			var from string
			var yes bool
			f.stringVar(&from, "from", "SOURCE", "copy")
			f.yes(&yes)
			f.global(c)
			got, err := f.parse(tt.args)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v; want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) || from != tt.from || yes != tt.yes || c.profile != tt.profile {
				t.Errorf("args %q, from %q, yes %v, profile %q; want %q, %q, %v, %q", got, from, yes, c.profile, tt.want, tt.from, tt.yes, tt.profile)
			}
		})
	}
}

// FuzzFlagsParse: any words parse without a panic, and the arguments
// found are words given, in their order.
func FuzzFlagsParse(f *testing.F) {
	f.Add("a\x00--from\x00x\x00--\x00-y")
	f.Add("-o\x00json\x00--show-secrets=false\x00NAME")
	f.Fuzz(func(t *testing.T, joined string) {
		words := strings.Split(joined, "\x00")
		for _, cmd := range commands {
			if cmd.raw {
				continue
			}
			fl, _ := cmd.flagsOf(&cli{})
			args, err := fl.parse(words)
			if err != nil {
				continue
			}
			i := 0
			for _, a := range args {
				for i < len(words) && words[i] != a {
					i++
				}
				if i == len(words) {
					t.Fatalf("%s: argument %q is not among %q in order", cmd.name, a, words)
				}
				i++
			}
		}
	})
}
