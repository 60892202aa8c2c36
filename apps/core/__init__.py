"""Small shared pieces every app may import; nothing here imports an app."""
