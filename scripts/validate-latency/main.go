// Command validate-latency measures the latency model's p99 against the
// simulator over the whole validation grid (utilization × servers × service
// CV), each point simulated until its 95 % half-width is under 2 % or a cap
// of calls, and writes the table into docs/model.md between the markers
// <!-- validation:begin --> and <!-- validation:end -->. It exits 1 if a
// point falls outside its region's documented band. `make validate-latency`
// runs it; it takes a few minutes on two cores.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/scaleplan/scaleplan/planner/queue"
	"github.com/scaleplan/scaleplan/simulate"
)

func main() {
	doc := flag.String("doc", "docs/model.md", "the document to write the table into")
	maxCalls := flag.Int("max-calls", 8_000_000, "the most calls simulated at one point")
	rel := flag.Float64("rel", 0.02, "stop when the p99's 95 % half-width is under this share of it")
	flag.Parse()

	type job struct {
		k     int
		u, cv float64
		c     int64
	}
	utils := append(append([]float64(nil), simulate.GridUtilization...), simulate.BeyondUtilization...)
	cvs := append(append([]float64(nil), simulate.GridCV...), simulate.BeyondCV...)
	var jobs []job
	for _, cv := range cvs {
		for _, c := range simulate.GridServers {
			for _, u := range utils {
				jobs = append(jobs, job{len(jobs), u, cv, c})
			}
		}
	}
	points := make([]simulate.GridPoint, len(jobs))
	start := time.Now()
	var wg sync.WaitGroup
	ch := make(chan job)
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				points[j.k] = simulate.Measure(j.u, j.c, j.cv, uint64(1000+j.k), *rel, *maxCalls)
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()

	var b strings.Builder
	fmt.Fprintf(&b, "Measured %s on %d cores in %s: %d points, each simulated until the p99's 95 %% half-width was under %.0f %% or %s calls (after a warm-up).\n\n",
		time.Now().Format("2006-01-02"), runtime.NumCPU(), time.Since(start).Round(time.Second), len(points), 100**rel, commas(*maxCalls))
	b.WriteString("Relative error of the model's p99 (model ÷ simulation − 1), in %, with the simulation's 95 % half-width; " +
		"`!` marks a point outside its region's band; `·` a point beyond the validated grid, where no band is claimed.\n\n")
	for _, cv := range cvs {
		fmt.Fprintf(&b, "**Service CV %.1f**\n\n| servers |", cv)
		for _, u := range utils {
			fmt.Fprintf(&b, " ρ %.2f |", u)
		}
		b.WriteString("\n|---:|")
		for range utils {
			b.WriteString("---:|")
		}
		b.WriteString("\n")
		for _, c := range simulate.GridServers {
			fmt.Fprintf(&b, "| %d |", c)
			for _, u := range utils {
				for _, p := range points {
					if p.CV == cv && p.Servers == c && p.Utilization == u {
						mark := ""
						switch {
						case p.Band.Unmeasured:
							mark = " ·"
						case !p.Within:
							mark = " !"
						}
						fmt.Fprintf(&b, " %+.1f ± %.1f%s |", 100*p.Err, 100*p.Sim.P99.RelHalf(), mark)
					}
				}
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("Measured band per region (the band the tests and `explain` use in brackets):\n\n| region | points | error range | documented band |\n|---|---:|---:|---:|\n")
	outside := 0
	for _, band := range queue.Bands {
		lo, hi, n := math.Inf(1), math.Inf(-1), 0
		for _, p := range points {
			if p.Band.Region == band.Region {
				lo, hi, n = math.Min(lo, p.Err), math.Max(hi, p.Err), n+1
				if !p.Within {
					outside++
				}
			}
		}
		fmt.Fprintf(&b, "| %s | %d | %+.1f %% to %+.1f %% | %+.0f %% to %+.0f %% |\n", band.Region, n, 100*lo, 100*hi, 100*band.Low, 100*band.High)
	}
	lo, hi, n := math.Inf(1), math.Inf(-1), 0
	for _, p := range points {
		if p.Band.Unmeasured {
			lo, hi, n = math.Min(lo, p.Err), math.Max(hi, p.Err), n+1
		}
	}
	if n > 0 {
		fmt.Fprintf(&b, "| beyond the validated grid (utilization above %.2f, or service CV above %g) | %d | %+.1f %% to %+.1f %% | none claimed |\n",
			queue.GridMaxUtilization, queue.GridMaxCV, n, 100*lo, 100*hi)
	}
	var worst []simulate.GridPoint // on the validated grid
	for _, p := range points {
		if !p.Band.Unmeasured {
			worst = append(worst, p)
		}
	}
	sort.Slice(worst, func(i, j int) bool { return math.Abs(worst[i].Err) > math.Abs(worst[j].Err) })
	fmt.Fprintf(&b, "\nLargest errors: ")
	for k := 0; k < 5; k++ {
		p := worst[k]
		fmt.Fprintf(&b, "c %d, ρ %.2f, CV %.1f: %+.1f %%; ", p.Servers, p.Utilization, p.CV, 100*p.Err)
	}
	b.WriteString("\n")

	if err := splice(*doc, b.String()); err != nil {
		fmt.Fprintln(os.Stderr, "validate-latency:", err)
		os.Exit(2)
	}
	fmt.Print(b.String())
	if outside > 0 {
		fmt.Fprintf(os.Stderr, "validate-latency: %d points are outside their region's band\n", outside)
		os.Exit(1)
	}
}

func commas(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// splice writes text between the markers of path, atomically.
func splice(path, text string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	const begin, end = "<!-- validation:begin -->", "<!-- validation:end -->"
	i, j := bytes.Index(data, []byte(begin)), bytes.Index(data, []byte(end))
	if i < 0 || j < i {
		return fmt.Errorf("%s lacks the markers %s … %s", path, begin, end)
	}
	out := append([]byte(nil), data[:i+len(begin)]...)
	out = append(out, "\n"+text+"\n"...)
	out = append(out, data[j:]...)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, out, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
