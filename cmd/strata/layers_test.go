package main

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/strata-settings/strata/sources"
)

// TestManualLayerOrder checks that the manual (main.go's doc comment)
// names the layers in the order of the sources.Kind constants, the one
// declaration of precedence.
func TestManualLayerOrder(t *testing.T) {
	data, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	_, sentence, ok := strings.Cut(string(data), "// The settings come from")
	if !ok {
		t.Fatal("main.go's doc comment does not say where the settings come from")
	}
	sentence, _, _ = strings.Cut(sentence, "\n//\n")
	sentence = strings.Join(strings.Fields(strings.ReplaceAll(sentence, "//", "")), " ")
	names := []struct {
		text string
		kind sources.Kind
	}{
		{"environment variables", sources.Env}, {"the .env file", sources.DotEnv}, {" prefect.toml", sources.PrefectTOML},
		{"pyproject.toml's [tool.prefect]", sources.PyprojectTOML}, {"the active profile", sources.Profile}, {"defaults", sources.Default},
	}
	var at []int
	for _, n := range names {
		i := strings.Index(sentence, n.text)
		if i < 0 {
			t.Fatalf("the manual's layers %q do not name %q", sentence, n.text)
		}
		at = append(at, i)
	}
	if !slices.IsSorted(at) {
		t.Errorf("the manual lists the layers out of precedence order: %q", sentence)
	}
	for i := 1; i < len(names); i++ {
		if names[i-1].kind >= names[i].kind {
			t.Fatalf("the test's own list is out of order at %q", names[i].text)
		}
	}
}
