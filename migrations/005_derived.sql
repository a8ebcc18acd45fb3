-- 005: derived problems. A problem made from another one by a rule (a
-- multiple-choice problem reformulated as an open-ended one, transform
-- 'mc_reformulated') names the problem it was derived from (whose id
-- stays, dropped as multiple_choice), the transform, and keeps the original
-- text beside its own. Problems read from a source have none of the three.
ALTER TABLE problems
    ADD COLUMN derived_from text,
    ADD COLUMN transform text,
    ADD COLUMN original_text text;

CREATE INDEX problems_derived_from ON problems (derived_from) WHERE derived_from IS NOT NULL;
