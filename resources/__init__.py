"""Icons, stylesheets and translations shipped with the console."""
