# The personalities this build has, in order (the first is the default personality of a
# scenario that names none). Adding a personality means adding its folders
# (stack/personality/<os>/, tools/personality/<os>/, scenarios/<os>/) and its name here.
set(SOCKSIM_PERSONALITIES linux windows illumos)
