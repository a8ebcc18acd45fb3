package bigmath

// Attempt is the outcome of one reward check recorded for a problem: the
// trainers' pass rate of a problem is made of these.
type Attempt struct {
	ProblemID string
	Correct   bool
	Reason    string // the verifier's reason
	Extracted string // the answer extracted from the response
}
