"""Council Performance: reference data → casework → statistics → letters and publishing → site."""
