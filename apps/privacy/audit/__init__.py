"""Running masking audits over stored chunks: choosing chunks, scanning, recording findings and
optionally rewriting the chunk with the values masked."""
