from . import (
    account_move,
    fr_dunning_escalation,
    fr_dunning_event,
    fr_dunning_law,
    fr_dunning_legal_rate,
    fr_dunning_level,
    fr_dunning_penalty,
    fr_dunning_policy,
    fr_dunning_run,
    res_company,
    res_config_settings,
    res_partner,
)
