"""Pure rules of the charter business: standard library only, no I/O."""
