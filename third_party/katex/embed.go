// Package katex embeds the vendored KaTeX distribution (see README.md in
// this directory: the npm package, its version and licence) so that the
// corpus browser serves math rendering from the binary, with no CDN.
package katex

import "embed"

// FS holds katex.min.js, katex.min.css, contrib/auto-render.min.js,
// fonts/*.woff2 and LICENSE, at those paths.
//
//go:embed katex.min.js katex.min.css contrib/auto-render.min.js fonts/*.woff2 LICENSE
var FS embed.FS
