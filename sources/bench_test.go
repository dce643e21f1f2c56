package sources

import (
	"fmt"
	"strings"
	"testing"
)

// The benchmarks below read the hostile shapes at 1×, 10× and 100× sizes:
// the time per op must grow ten-fold a step (linear), not a hundred-fold.
// Sizes past a limit measure the refusal.

func benchScaling(b *testing.B, sizes []int, build func(int) string, read func(data []byte)) {
	for _, n := range sizes {
		data := []byte(build(n))
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				read(data)
			}
		})
	}
}

// BenchmarkTOMLScan is the first pass alone, which every document goes
// through: linear in the keys.
func BenchmarkTOMLScan(b *testing.B) {
	benchScaling(b, []int{95, 950, 9500}, hostile.tables, func(data []byte) {
		doc := &tomlDoc{file: "f.toml", pos: newKeyIndex(0), lines: []int{0}, data: data}
		if err := (&tomlScan{doc: doc}).run(data); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkTOMLTables reads files of 25 keys a table, up to the key limit.
// go-toml's decoder takes time growing with the square of the tables.
func BenchmarkTOMLTables(b *testing.B) {
	benchScaling(b, []int{95, 950, 9500}, hostile.tables, func(data []byte) {
		if _, err := parseTOML("f.toml", data, false); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkTOMLDottedKeys reads dotted keys at the root; 20000 of them are
// refused.
func BenchmarkTOMLDottedKeys(b *testing.B) {
	benchScaling(b, []int{200, 2000, 20000}, hostile.dottedKeys, func(data []byte) {
		parseTOML("f.toml", data, false)
	})
}

// BenchmarkTOMLLayerDottedKeys adds reading the settings, with the position
// of every key.
func BenchmarkTOMLLayerDottedKeys(b *testing.B) {
	benchScaling(b, []int{20, 200, 2000}, hostile.dottedKeys, func(data []byte) {
		if _, err := (Reader{}).tomlLayer(PrefectTOML, "f.toml", data, nil); err != nil {
			b.Fatal(err)
		}
		docCache.Clear()
	})
}

func BenchmarkTOMLWideTable(b *testing.B) {
	benchScaling(b, []int{20, 200, 2000, 20000, 200000}, hostile.wideTable, func(data []byte) {
		parseTOML("f.toml", data, false)
	})
}

func BenchmarkTOMLDeepHeader(b *testing.B) {
	benchScaling(b, []int{400, 4000, 40000}, hostile.deepHeader, func(data []byte) {
		if _, err := parseTOML("f.toml", data, false); err == nil {
			b.Fatal("no error")
		}
	})
}

func BenchmarkDotEnvLines(b *testing.B) {
	benchScaling(b, []int{100, 1000, 10000}, hostile.dotenvLines, func(data []byte) {
		ParseDotEnv(data, nil)
	})
}

func BenchmarkDotEnvRefusedLines(b *testing.B) {
	benchScaling(b, []int{3000, 30000, 300000}, hostile.dotenvLines, func(data []byte) {
		ParseDotEnv(data, nil)
	})
}

func BenchmarkDotEnvExpandColons(b *testing.B) {
	// 10 KB, 100 KB and 1 MB values.
	benchScaling(b, []int{3333, 33333, 333333}, hostile.dotenvColons, func(data []byte) {
		ParseDotEnv(data, nil)
	})
}

// BenchmarkTOMLPkgTables reads the same files as BenchmarkTOMLTables with
// the toml package's decoder, as releases before 3.6.14 read them.
func BenchmarkTOMLPkgTables(b *testing.B) {
	benchScaling(b, []int{95, 950, 9500}, hostile.tables, func(data []byte) {
		if _, err := parseTOMLPkg("f.toml", data, false); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkTOMLPkgEquals reads a line of '=' signs, which the toml
// package scans again for each: refused past its bound, whatever the size.
func BenchmarkTOMLPkgEquals(b *testing.B) {
	benchScaling(b, []int{1000, 10000, 100000}, func(n int) string { return "a=" + strings.Repeat("1=", n) + "\n" }, func(data []byte) {
		parseTOMLPkg("f.toml", data, false)
	})
}
