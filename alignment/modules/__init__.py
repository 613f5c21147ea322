"""The built-in switchable modules: autonomy, wellbeing, social, transparency."""
