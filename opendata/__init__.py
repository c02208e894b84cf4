"""Open data published by the programme: the essential data of the subsidy conventions (SCDL « subventions »)."""
