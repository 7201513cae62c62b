"""Reading and planning the reference data (register, population, boundaries).

``files`` reads the files under REFERENCE_DATA_DIR into plain records and checks their shape;
``plan`` turns those records into the authorities, years, populations and boundaries to store
(pure functions); ``authorities.services`` writes the plan to the database.
"""
