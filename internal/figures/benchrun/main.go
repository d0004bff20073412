// Command benchrun is make bench's runner: it runs the figure steps named on
// its command line one after another (each whatever the ones before ended
// with), keeps their whole output in a log, shows the figure lines, and ends
// with one summary line of what missed. It exits 1 only when a figure
// missed its budget, an expected figure was not printed, or a step failed.
//
//	benchrun -log FILE -expect "name name ..." NAME COMMAND [NAME COMMAND ...]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/figures"
)

func main() {
	logPath := flag.String("log", "bench.log", "file for the steps' whole output")
	expect := flag.String("expect", "", "the figures the run must print, separated by spaces")
	flag.Parse()
	args := flag.Args()
	if len(args) == 0 || len(args)%2 != 0 {
		fmt.Fprintln(os.Stderr, "usage: benchrun -log FILE -expect \"names\" NAME COMMAND [NAME COMMAND ...]")
		os.Exit(2)
	}
	var steps []figures.Step
	for i := 0; i < len(args); i += 2 {
		steps = append(steps, figures.Step{Name: args[i], Command: args[i+1]})
	}
	log, err := os.Create(*logPath)
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchrun: cannot write the log: %v\n", err)
		os.Exit(2)
	}
	// Ctrl+C stops the running step (its processes get the signal from the
	// terminal too) and still prints the summary of what was measured.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res := figures.Run(ctx, steps, strings.Fields(*expect), log, os.Stdout)
	fmt.Fprintln(log, res.Summary())
	_ = log.Close()
	fmt.Println(res.Summary())
	fmt.Printf("(whole output: %s)\n", *logPath)
	if !res.OK() {
		os.Exit(1)
	}
}
