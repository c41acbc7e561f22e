from rhoai_doctor.cli import entry_point

entry_point()
