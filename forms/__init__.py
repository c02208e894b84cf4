"""Forms built from the YAML: the applicant's steps and the jury's scoring grid share one builder."""
