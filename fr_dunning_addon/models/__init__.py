from . import fr_dunning_event
