package pass

import (
	"encoding/json"
	"testing"
)

// BenchmarkMarshal writes the semantic boarding pass (a large, realistic pass.json) once per iteration.
func BenchmarkMarshal(b *testing.B) {
	p := goldenPasses()["semantic-boarding-pass.json"]
	out, err := json.Marshal(p)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(out)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse reads the same pass.json once per iteration.
func BenchmarkParse(b *testing.B) {
	data, err := json.Marshal(goldenPasses()["semantic-boarding-pass.json"])
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStringsEncode encodes a 50-entry non-ASCII pass.strings file.
func BenchmarkStringsEncode(b *testing.B) {
	s := Strings{}
	for i := range 50 {
		s["KEY_"+itoa(i)] = "Bienvenue à bord, siège " + itoa(i)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Encode()
	}
}
