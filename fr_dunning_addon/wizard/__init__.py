from . import fr_dunning_penalty_wizard
