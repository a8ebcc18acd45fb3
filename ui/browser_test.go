package ui_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// findChromium returns the browser the test drives: $BIGMATH_CHROMIUM, or
// Debian's chromium (scripts/ensure-chromium.sh installs it), or "".
func findChromium() string {
	if p := os.Getenv("BIGMATH_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// consoleErrors collects what the page reports as errors: console.error
// calls, uncaught exceptions and error entries of the browser log (a
// resource that failed to load, a script the CSP blocked).
type consoleErrors struct {
	mu   sync.Mutex
	list []string
}

// collect reads the console of ctx's tab until the tab goes away.
func (c *consoleErrors) collect(ctx context.Context) {
	for m, err := range chromedp.Console(ctx) {
		if err != nil {
			return
		}
		if m.Type != chromedp.ConsoleError && !m.IsException() {
			continue
		}
		c.mu.Lock()
		c.list = append(c.list, fmt.Sprintf("%s:%d %s", m.URL, m.Line+1, m))
		c.mu.Unlock()
	}
}

// take returns and clears the errors seen so far.
func (c *consoleErrors) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.list
	c.list = nil
	return out
}

// screenshotDir is where the browser test writes its screenshots:
// $BIGMATH_UI_SCREENSHOTS, else a temporary directory of the test.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("BIGMATH_UI_SCREENSHOTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// newChrome starts a headless chromium for the test.
func newChrome(t *testing.T, exe string) (context.Context, *consoleErrors) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // the test may run as root (CI does)
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	errs := &consoleErrors{}
	go errs.collect(ctx)
	return ctx, errs
}

// TestBrowser drives chromium over every page of the browser: each loads
// with its math rendered and no console error, the funnel has one bar
// group per source, a search returns rows, the problem page shows the
// cluster, a split saved through the admin form has its download links,
// the playground returns a verdict. Screenshots of each page are
// written to screenshotDir.
func TestBrowser(t *testing.T) {
	exe := findChromium()
	if exe == "" {
		t.Skip("no chromium found (scripts/ensure-chromium.sh installs it; or set BIGMATH_CHROMIUM): browser test skipped")
	}
	srv := newServer(t, tokens{})
	ctx, errs := newChrome(t, exe)
	dir := screenshotDir(t)
	steps := []struct {
		name  string
		path  string
		check func(ctx context.Context) error
	}{
		{"overview", "/ui/", checkFunnel},
		{"search", "/ui/problems", checkSearch},
		{"problem", "/ui/problems/p_a1", checkCluster},
		{"dropped", "/ui/problems/p_a3", nil},
		{"splits", "/ui/splits", checkSplits},
		{"playground", "/ui/playground", checkPlayground},
		{"login", "/ui/login", nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			err := chromedp.Do(ctx,
				chromedp.Navigate(srv.URL+st.path),
				chromedp.WaitReady(chromedp.CSS(`html[data-math="rendered"]`)),
			)
			if err != nil {
				t.Fatalf("load %s: %v", st.path, err)
			}
			if st.check != nil {
				if err := st.check(ctx); err != nil {
					t.Error(err)
				}
			}
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			file := filepath.Join(dir, "ui-"+st.name+".png")
			if err := os.WriteFile(file, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot %s", file)
			if e := errs.take(); len(e) > 0 {
				t.Errorf("%s: console errors:\n%s", st.path, strings.Join(e, "\n"))
			}
		})
	}
	// The check above could pass by seeing nothing: an error the page
	// writes, and a resource that fails to load, must be seen.
	t.Run("errors are seen", func(t *testing.T) {
		err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`console.error("probe"); document.body.appendChild(new Image()).src = "/ui/static/app/missing.png"; 1`))
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && len(seen) < 2; time.Sleep(50 * time.Millisecond) {
			seen = append(seen, errs.take()...)
		}
		joined := strings.Join(seen, "\n")
		if !strings.Contains(joined, "probe") || !strings.Contains(joined, "404") {
			t.Errorf("console errors seen: %q, want the probe and the 404", seen)
		}
	})
}

// TestBrowserLogin logs in through the form in chromium: with an API
// token the browser lands on the login page, and after the token the
// session cookie is invisible to scripts (HttpOnly).
func TestBrowserLogin(t *testing.T) {
	exe := findChromium()
	if exe == "" {
		t.Skip("no chromium found (scripts/ensure-chromium.sh installs it; or set BIGMATH_CHROMIUM): browser test skipped")
	}
	srv := newServer(t, tokens{api: apiTok, admin: adminTok})
	ctx, errs := newChrome(t, exe)
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/ui/problems/p_a1"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="token"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="token"]`), apiTok),
		chromedp.Submit(chromedp.CSS(`input[name="token"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#cluster`)),
	)
	if err != nil {
		t.Fatalf("log in: %v", err)
	}
	cookies, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.cookie`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(cookies, "bigmath_session") {
		t.Errorf("document.cookie = %q: the session cookie is readable by scripts", cookies)
	}
	if e := errs.take(); len(e) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(e, "\n"))
	}
}

// count returns how many elements match a CSS selector.
func count(ctx context.Context, sel string) (int, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
}

func checkFunnel(ctx context.Context) error {
	n, err := count(ctx, "svg#funnel g.bar-group")
	if err != nil {
		return err
	}
	if n != 3 {
		return fmt.Errorf("funnel: %d bar groups, want 3 (one per source)", n)
	}
	bars, err := count(ctx, `svg#funnel g.bar-group[data-source="alpha"] rect`)
	if err == nil && bars != 5 {
		err = fmt.Errorf("funnel: alpha has %d bars, want 5", bars)
	}
	return err
}

func checkSearch(ctx context.Context) error {
	err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#search input[name="q"]`), "clips"),
		chromedp.Submit(chromedp.CSS(`#search input[name="q"]`)),
		// The page before the search lists rows too: wait for the one
		// the server rendered for q (typing sets no value attribute).
		chromedp.WaitReady(chromedp.CSS(`#search input[name="q"][value="clips"]`)),
		chromedp.WaitReady(chromedp.CSS(`html[data-math="rendered"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#results tr.result`)),
	)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#results tr.result td:first-child")].map(e => e.textContent.trim())`))
	if err != nil {
		return err
	}
	if strings.Join(ids, ",") != "p_a1" {
		return fmt.Errorf("search for clips: rows %v, want [p_a1]", ids)
	}
	return nil
}

func checkCluster(ctx context.Context) error {
	members, err := count(ctx, `#cluster .member[data-member="p_b1"]`)
	if err != nil {
		return err
	}
	marks, err := count(ctx, "#cluster mark")
	if err != nil {
		return err
	}
	katex, err := count(ctx, "#statement .katex")
	if err != nil {
		return err
	}
	if members != 1 || marks != 2 || katex == 0 {
		return fmt.Errorf("problem page: %d cluster members, %d marked differences, %d rendered formulas; want 1, 2, >0", members, marks, katex)
	}
	return nil
}

func checkSplits(ctx context.Context) error {
	err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#new-split input[name="name"]`), "demo"),
		chromedp.Submit(chromedp.CSS(`#new-split input[name="name"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#created`)),
	)
	if err != nil {
		return fmt.Errorf("save a split: %w", err)
	}
	links, err := count(ctx, `tr.split[data-split="demo"] td.downloads a[href^="/v1/splits/demo/export?format="]`)
	if err == nil && links != 12 {
		err = fmt.Errorf("splits: %d download links, want 12 (3 formats, all and 3 parts)", links)
	}
	if err != nil {
		return err
	}
	// Saving made version 1: its frozen files and its Hub tar.
	v1 := `tr.version[data-split="demo"][data-version="1"] td.downloads `
	links, err = count(ctx, v1+`a[href^="/v1/splits/demo/versions/1/export?format="]`)
	if err == nil && links != 12 {
		err = fmt.Errorf("splits: version 1 has %d download links, want 12", links)
	}
	if err != nil {
		return err
	}
	hub, err := count(ctx, v1+`a[href="/v1/splits/demo/versions/1/hub"]`)
	if err == nil && hub != 1 {
		err = fmt.Errorf("splits: version 1 has %d Hub links, want 1", hub)
	}
	return err
}

func checkPlayground(ctx context.Context) error {
	err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#playground input[name="gold"]`), `\frac{1}{2}`),
		chromedp.SendKeys(chromedp.CSS(`#playground textarea[name="response"]`), `Half of it: \boxed{0.5}`),
		chromedp.Click(chromedp.CSS(`#playground button`)),
		chromedp.WaitVisible(chromedp.CSS(`#verdict`)),
	)
	if err != nil {
		return fmt.Errorf("playground: %w", err)
	}
	reason, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#verdict-reason`)))
	if err != nil {
		return err
	}
	extracted, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#extracted`)))
	if err != nil {
		return err
	}
	if reason != "equal" || extracted != "0.5" {
		return fmt.Errorf("playground: reason %q extracted %q, want equal and 0.5", reason, extracted)
	}
	return nil
}
