package normalize

import (
	"os"
	"sync"
	"testing"

	"govreport/extract/text"
)

// Parallel parses share the template indexes: run with -race.
func TestParallelNormalize(t *testing.T) {
	data, err := os.ReadFile("../testdata/corpus/2020_zhongmou_commerce_seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x, err := text.Extract(data)
			if err != nil {
				t.Error(err)
				return
			}
			if d := Normalize(x); len(d.Cells) == 0 {
				t.Error("no cells")
			}
		}()
	}
	wg.Wait()
}
