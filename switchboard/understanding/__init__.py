"""Reading what customers write and say, for the local agent: everyday text normalised
(``text``), days and times (``when``), who an appointment is for (``subjects``), questions about
the business (``answers``) and messages in other languages (``language``)."""
