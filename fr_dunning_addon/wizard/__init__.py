from . import (
    fr_dunning_acknowledgement,
    fr_dunning_agency_report,
    fr_dunning_call_wizard,
    fr_dunning_correction,
    fr_dunning_level_choice,
    fr_dunning_lifecycle_import,
    fr_dunning_litigation_step_wizard,
    fr_dunning_penalty_wizard,
    fr_dunning_preview,
    fr_dunning_write_off_wizard,
)
