"""``offscript eval``: how well the analysis finds filled pauses, pauses and pace on a labelled set.

``manifest`` reads a folder in the ``../shared/speech`` format, ``metrics`` holds the pure
scoring functions, ``runner`` analyses every clip, ``report`` aggregates and prints, and
``commands`` is the command line.
"""
